"""How deliveries are signed, and how a receiver checks them.

Every delivery is a POST with a JSON body and these headers:

    X-Inventory-Event:      the event, e.g. "stock.level_changed"
    X-Inventory-Delivery:   the event id (a UUID); the same on every retry of the delivery, so
                            receivers use it to ignore a delivery they have already processed
    X-Inventory-Timestamp:  when this attempt was signed, in Unix seconds
    X-Inventory-Signature:  "sha256=" + hex HMAC-SHA256, keyed with the webhook's secret, of
                            the timestamp, a dot and the raw body: b"<timestamp>.<body>"

A receiver recomputes the HMAC over the raw bytes it received (before parsing the JSON),
compares it in constant time and refuses a timestamp older than a few minutes (a replayed
request). In Python, with this module or a copy of `verify`:

    ok = verify(secret, timestamp=request.headers["X-Inventory-Timestamp"],
                body=request.body, signature=request.headers["X-Inventory-Signature"])
"""

import hashlib
import hmac
import time

EVENT_HEADER = "X-Inventory-Event"
DELIVERY_HEADER = "X-Inventory-Delivery"
TIMESTAMP_HEADER = "X-Inventory-Timestamp"
SIGNATURE_HEADER = "X-Inventory-Signature"
SCHEME = "sha256"
TOLERANCE_SECONDS = 300


def sign(secret: str, *, timestamp: int | str, body: bytes) -> str:
    """Return the X-Inventory-Signature value of `body` sent at `timestamp`."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify(
    secret: str,
    *,
    timestamp: int | str,
    body: bytes,
    signature: str,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Return whether `signature` signs `body` at `timestamp` with `secret`, and the timestamp
    lies within `tolerance` seconds of `now` (None: the current time; 0: no age check)."""
    try:
        sent = int(str(timestamp))
    except ValueError:
        return False
    current = time.time() if now is None else now
    if tolerance and abs(current - sent) > tolerance:
        return False
    expected = sign(secret, timestamp=sent, body=body)
    return hmac.compare_digest(expected.encode("ascii"), str(signature).encode("utf-8"))
