"""How a message to an external system is signed: HMAC-SHA256 with the system's signing secret
over `<timestamp>.<body>`, sent in headers beside the JSON body (docs/interchange.md)."""

import hashlib
import hmac
import json

SIGNATURE_HEADER = "X-Shenlianti-Signature"
TIMESTAMP_HEADER = "X-Shenlianti-Timestamp"
MESSAGE_HEADER = "X-Shenlianti-Message"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `<timestamp>.<body>`, in hex: what the receiver recomputes."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def message_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
