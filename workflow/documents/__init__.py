"""Issued documents (公文): numbered PDFs of the minutes of a joint session and of the
implementation rules, each with its document number (文号), date of issue, issuing office and
signature block."""
