"""The case file (案卷): the case's own lifecycle (file, submit, return for information, reject,
accept, confirm, withdraw), its comments and attachments, and the case list and case page."""
