import socket

import pytest

from .factories import WebhookFactory
from .receiver import Receiver, start


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (so private targets are allowed while it runs)."""
    listening = Receiver()
    server = start(listening)
    yield listening
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def zero_backoff(settings):
    """Retries due at once, three attempts in all."""
    settings.WEBHOOK_RETRY_DELAYS = [0, 0]


@pytest.fixture
def hook(receiver, allow_private):
    """An active webhook, subscribed to every event, pointing at the test receiver."""
    return WebhookFactory(url=receiver.url)


@pytest.fixture
def fake_dns(monkeypatch):
    """Resolve chosen host names to chosen addresses: fake_dns({"erp.example.com": "10.1.2.3"})."""
    real = socket.getaddrinfo

    def install(names: dict[str, str]):
        def getaddrinfo(host, port, *args, **kwargs):
            if host in names:
                return real(names[host], port, *args, **kwargs)
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    return install
