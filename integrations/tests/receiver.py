"""A real HTTP server in a thread that plays a webhook receiver for the tests."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from integrations import signing


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def verifies(self, secret: str) -> bool:
        """Check the request the way a receiver is told to (integrations.signing)."""
        return signing.verify(
            secret,
            timestamp=self.headers[signing.TIMESTAMP_HEADER],
            body=self.body,
            signature=self.headers[signing.SIGNATURE_HEADER],
        )


@dataclass
class Receiver:
    """Answers each POST with the next of `statuses` (the last one repeats), after `delay`."""

    statuses: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, received: Received) -> int:
        with self.lock:
            self.requests.append(received)
            index = min(len(self.requests), len(self.statuses)) - 1
            return self.statuses[index]


def start(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
            if receiver.delay:
                time.sleep(receiver.delay)
            status = receiver.answer(received)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", f"{receiver.url}elsewhere")
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"receiver says no")

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
