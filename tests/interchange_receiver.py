"""A callback receiver for the interchange tests: an http.server on 127.0.0.1 (an ephemeral
port) that checks each message's signature the way docs/interchange.md tells receivers to."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret: str, *, port: int = 0, answer: int = 200, hang: bool = False):
        self.secret = secret
        self.answer = answer
        self.messages: list[dict] = []
        self.bad_signatures = 0
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if hang:
                    receiver.release.wait(10)
                timestamp = self.headers["X-Shenlianti-Timestamp"]
                expected = hmac.new(
                    receiver.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
                ).hexdigest()
                if hmac.compare_digest(
                    "sha256=" + expected, self.headers["X-Shenlianti-Signature"]
                ):
                    receiver.messages.append(json.loads(body))
                else:
                    receiver.bad_signatures += 1
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def transitions(self) -> list[tuple[str, str]]:
        return [(m["transition"]["name"], m["transition"]["to_state"]) for m in self.messages]
