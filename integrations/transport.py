"""One HTTP POST to a checked target: to the checked address, no proxy, no redirects."""

import http.client
import socket
import ssl

from .targets import Target

RESPONSE_EXCERPT = 500  # characters of a refusing receiver's answer kept in the log


class _PinnedConnection(http.client.HTTPConnection):
    """Connect to one of the addresses checked for the host, never to a fresh lookup."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.addresses = target.addresses

    def _open(self) -> socket.socket:
        error = None
        for address in self.addresses:
            try:
                return socket.create_connection((address, self.port), self.timeout)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")

    def connect(self):
        self.sock = self._open()


class _PinnedTLSConnection(_PinnedConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target, timeout)
        self.context = ssl.create_default_context()

    def connect(self):
        # The certificate is checked against the host name, as for any https request.
        self.sock = self.context.wrap_socket(self._open(), server_hostname=self.host)


def post(
    target: Target, *, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, str]:
    """POST `body` to `target`; return the status code and the start of the answer's body.

    Raise OSError or http.client.HTTPException when no answer came (refused, timed out, TLS).
    """
    kind = _PinnedTLSConnection if target.scheme == "https" else _PinnedConnection
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
        return response.status, excerpt
    finally:
        connection.close()
