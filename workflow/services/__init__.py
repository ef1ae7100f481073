"""The only writers: one function per use case, each in one transaction with the row locked."""
