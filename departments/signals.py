"""What departments tells the rest of the project, without importing it."""

from django.dispatch import Signal

# Sent once the revocation has committed, with `token_ids`: the API tokens that were live and
# no longer sign anyone in. The live streams opened with them close (workflow.realtime).
api_tokens_revoked = Signal()
