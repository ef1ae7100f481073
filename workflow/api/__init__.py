"""The API's address map: every address points into the subject that serves it."""
