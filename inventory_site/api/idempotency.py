"""Idempotency-Key handling for actions (stock moves, sales): the same key twice acts once."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from .errors import Conflict
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (e.g. a UUID). Sending the same key again returns the first "
    "answer and does not act twice, even when the two requests arrive at the same time.",
)


class KeyReused(Conflict):
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


def idempotent(request, endpoint: str, act) -> Response:
    """Run `act()` (returning a Response) once per (user, Idempotency-Key), atomically.

    Without the header, just act. With it, record the key in the action's transaction; a second
    request with the key waits for the first to commit and gets the first one's answer.
    """
    key = request.headers.get(HEADER, "").strip()[:200]
    if not key:
        with transaction.atomic():
            return act()
    body = json.dumps(request.data, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(f"{endpoint}\n{body}".encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user, key=key, endpoint=endpoint, fingerprint=fingerprint
                )
        except IntegrityError:
            return _replay(request.user, key, fingerprint)
        response = act()
        record.status, record.response = response.status_code, response.data
        record.save(update_fields=["status", "response"])
        return response


def _replay(user, key: str, fingerprint: str) -> Response:
    record = IdempotencyKey.objects.get(user=user, key=key)
    if record.fingerprint != fingerprint:
        raise KeyReused
    return Response(record.response, status=record.status, headers={"Idempotent-Replay": "true"})
