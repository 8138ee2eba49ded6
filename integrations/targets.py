"""Where webhooks may be sent: public addresses only, unless an admin setting allows more.

A webhook URL typed by an admin is still a way to make the server send requests, so every
address its host resolves to must be public (not loopback, private, link-local, multicast,
reserved or unspecified). Checked when the webhook is saved and again before every attempt,
since DNS can change in between; the attempt then connects to the very address that was
checked (no second lookup a rebinding DNS server could answer differently). Set
WEBHOOKS_ALLOW_PRIVATE_TARGETS for receivers on the LAN (an ERP in the back office).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

SCHEMES = {"http": 80, "https": 443}
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):  # noqa: N818 - the domain's own word
    """A webhook URL that may not be used; `message` says why, for an admin."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple[str, ...]  # checked addresses to connect to, in resolver order


def _forbidden(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return _forbidden(address.ipv4_mapped)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global  # shared (carrier-grade NAT) and documentation ranges
    )


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TargetRefused(
            _("The host %(host)s could not be resolved.") % {"host": host}, "unresolvable"
        ) from None
    found = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]  # an IPv6 zone ("fe80::1%eth0") is local
        if address not in found:
            found.append(address)
    return found


def resolve_target(url: str, *, allow_private: bool | None = None) -> Target:
    """Return where `url` points, resolved; raise TargetRefused if it may not be used.

    `allow_private` None reads settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS.
    """
    if allow_private is None:
        allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise TargetRefused(_("Only http and https addresses can receive webhooks."), "scheme")
    if parts.username or parts.password:
        raise TargetRefused(
            _("Put no user name or password in the address; receivers check the signature."),
            "credentials",
        )
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise TargetRefused(_("The port of this address is not valid."), "port") from None
    host = parts.hostname or ""
    if not host:
        raise TargetRefused(_("The address has no host."), "host")
    addresses = _resolve(host, port)
    if not addresses:
        raise TargetRefused(
            _("The host %(host)s could not be resolved.") % {"host": host}, "unresolvable"
        )
    if not allow_private:
        for address in addresses:
            if _forbidden(ipaddress.ip_address(address)):
                raise TargetRefused(
                    _(
                        "%(host)s is a loopback, private or otherwise non-public address "
                        "(%(address)s): webhooks may only go to public addresses."
                    )
                    % {"host": host, "address": address},
                    "private",
                )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, host, port, path, tuple(addresses))
