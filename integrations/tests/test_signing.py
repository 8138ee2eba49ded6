"""The signature scheme receivers check (integrations.signing)."""

import hashlib
import hmac

from integrations import signing

SECRET = "s3cret"
BODY = b'{"sku":"KOPI-1","on_hand":"5.000"}'


def test_the_signature_is_an_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signing.sign(SECRET, timestamp=1700000000, body=BODY) == f"sha256={expected}"


def test_a_signature_verifies_with_the_secret_and_not_with_another():
    signature = signing.sign(SECRET, timestamp=1700000000, body=BODY)
    check = {"timestamp": "1700000000", "body": BODY, "signature": signature, "now": 1700000010}
    assert signing.verify(SECRET, **check)
    assert not signing.verify("other", **check)


def test_a_tampered_body_or_timestamp_fails_verification():
    signature = signing.sign(SECRET, timestamp=1700000000, body=BODY)
    now = 1700000000
    tampered = BODY.replace(b"5.000", b"50.000")
    assert not signing.verify(
        SECRET, timestamp=1700000000, body=tampered, signature=signature, now=now
    )
    assert not signing.verify(SECRET, timestamp=1700000001, body=BODY, signature=signature, now=now)


def test_an_old_timestamp_fails_verification_as_a_replay():
    signature = signing.sign(SECRET, timestamp=1700000000, body=BODY)
    late = 1700000000 + signing.TOLERANCE_SECONDS + 1
    assert not signing.verify(
        SECRET, timestamp=1700000000, body=BODY, signature=signature, now=late
    )
    assert signing.verify(
        SECRET, timestamp=1700000000, body=BODY, signature=signature, now=late, tolerance=0
    )
