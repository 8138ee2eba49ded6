"""The client's IP address, as sign-in throttling must see it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """Return the address the request came from.

    Behind `TRUSTED_PROXY_COUNT` trusted reverse proxies, each appends the address it received the
    request from to X-Forwarded-For, so the client is the Nth entry from the right; entries
    further left were written by the client and can be forged. With no proxy, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
