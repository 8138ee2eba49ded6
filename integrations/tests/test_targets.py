"""Webhook targets: public addresses only, unless WEBHOOKS_ALLOW_PRIVATE_TARGETS allows more."""

import pytest
from django.core.exceptions import ValidationError

from integrations.models import Event, Webhook
from integrations.targets import TargetRefused, resolve_target

REFUSED = [
    "http://127.0.0.1/hooks",
    "http://localhost:8000/hooks",
    "http://10.0.0.5/hooks",
    "http://192.168.1.10/hooks",
    "http://172.16.0.1/hooks",
    "http://[::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
    "http://0.0.0.0/hooks",
    "http://224.0.0.1/hooks",
    "http://100.64.0.1/hooks",
]


@pytest.mark.parametrize("url", REFUSED)
def test_loopback_and_private_targets_are_refused_by_default(url):
    with pytest.raises(TargetRefused) as refused:
        resolve_target(url)
    assert refused.value.code == "private"


def test_a_host_name_resolving_to_loopback_is_refused(fake_dns):
    fake_dns({"erp.example.com": "127.0.0.1"})
    with pytest.raises(TargetRefused, match=r"127\.0\.0\.1"):
        resolve_target("https://erp.example.com/hooks")


def test_a_host_name_with_any_private_address_is_refused(monkeypatch):
    import socket

    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.7"):
        resolve_target("https://erp.example.com/hooks")


def test_a_public_address_is_accepted_and_resolved(fake_dns):
    fake_dns({"erp.example.com": "93.184.215.14"})
    target = resolve_target("https://erp.example.com/hooks/in?shop=1")
    assert (target.scheme, target.host, target.port) == ("https", "erp.example.com", 443)
    assert (target.path, target.addresses) == ("/hooks/in?shop=1", ("93.184.215.14",))


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hooks", "http://[::1]/", "http://10.1.1.1"])
def test_private_targets_are_allowed_with_the_setting(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert resolve_target(url).addresses


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://93.184.215.14/hooks", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("https://user:pw@93.184.215.14/", "credentials"),
        ("https://no-such-host.invalid/", "unresolvable"),
    ],
)
def test_other_unusable_addresses_are_refused(url, code):
    with pytest.raises(TargetRefused) as refused:
        resolve_target(url)
    assert refused.value.code == code


@pytest.mark.django_db
def test_saving_a_webhook_to_a_loopback_target_is_a_field_error():
    webhook = Webhook(name="ERP", url="http://127.0.0.1:8069/hooks", events=[Event.LOW_STOCK])
    with pytest.raises(ValidationError) as error:
        webhook.full_clean()
    assert list(error.value.message_dict) == ["url"]
