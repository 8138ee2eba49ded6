"""Events other systems are told about: queued inside the business transaction, sent after.

`emit` writes one WebhookDelivery per active webhook subscribed to the event, in the caller's
transaction (a rollback leaves nothing to send), and has a task send each one once the
transaction commits (a broker that is down leaves them pending for `resend_due_webhooks`; the
sale goes through). The services call the functions at the end of this module, which shape
the payloads.

Which events have subscribers is read once per transaction: a transaction with no subscribed
webhook pays one query, whatever it moves. A stock level changed twice in one transaction (an
order confirmed and fulfilled at once) is one event: its delivery is keyed by the transaction and
the level, and a later change replaces the payload (movement ids add up).
"""

import json
import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from itertools import chain

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from .models import PING, Event, Webhook

logger = logging.getLogger(__name__)

# Seconds a new delivery waits for the task sent at commit before the periodic resend takes it
# (the broker was down, the worker lost it).
DISPATCH_GRACE_SECONDS = 120
_generation = 0  # bumped when this process saves or deletes a webhook


def subscriptions_changed() -> None:
    """Forget what this process read about subscriptions (a webhook was saved or deleted)."""
    global _generation
    _generation += 1


class _Subscriptions:
    """The events some active webhook subscribes to, as read in this transaction.

    Registered as an on-commit callback that does nothing, only so that it lives exactly as
    long as the transaction (or the savepoint it was read in) and no longer.
    """

    def __init__(self, events: frozenset[str], generation: int):
        self.events, self.generation = events, generation

    def __call__(self):
        pass


def _subscribed() -> frozenset[str]:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _sids, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Subscriptions) and callback.generation == _generation:
                return callback.events
    active = Webhook.objects.filter(is_active=True).values_list("events", flat=True)
    events = frozenset(chain.from_iterable(active))
    if connection.in_atomic_block:
        transaction.on_commit(_Subscriptions(events, _generation))
    return events


INSERT_SQL = """
INSERT INTO integrations_webhookdelivery
    (webhook_id, event, event_id, payload, status, attempts, last_error, next_attempt_at,
     created_at)
SELECT w.id, %(event)s,
       CASE WHEN e.key IS NULL THEN e.id
            ELSE md5(txid_current()::text || ':' || %(event)s || ':' || e.key)::uuid END,
       e.payload, 'pending', 0, '', now() + make_interval(secs => %(grace)s), now()
FROM integrations_webhook w
CROSS JOIN unnest(%(keys)s::text[], %(ids)s::uuid[], %(payloads)s::jsonb[])
     WITH ORDINALITY AS e(key, id, payload, n)
WHERE {where}
ORDER BY e.n, w.id
ON CONFLICT (webhook_id, event_id) DO UPDATE
SET payload = EXCLUDED.payload || jsonb_build_object(
        'movement_ids',
        COALESCE(integrations_webhookdelivery.payload -> 'movement_ids', '[]'::jsonb)
        || COALESCE(EXCLUDED.payload -> 'movement_ids', '[]'::jsonb))
WHERE integrations_webhookdelivery.status = 'pending'
RETURNING id, xmax = 0
"""


def emit(event: str, payload: dict, *, key: str | None = None) -> None:
    """Queue `event` with `payload` for every active webhook subscribed to it.

    With `key`, a second emit of the same event and key in the same transaction updates the
    first one's deliveries instead of adding new ones.
    """
    emit_many(event, [(key, payload)])


def emit_many(
    event: str, items: Sequence[tuple[str | None, dict]], *, webhooks: Sequence[int] = ()
) -> list[int]:
    """Queue several events of one kind, each (key or None, payload), in one statement; return
    the ids of the new deliveries. `webhooks` (ids) sends to those only, subscribed or not."""
    if not items or (not webhooks and event not in _subscribed()):
        return []
    merged: dict[str, dict] = {}  # one row per key, or the upsert would touch a row twice
    rows = []
    for key, payload in items:
        if key is None:
            rows.append((None, str(uuid.uuid4()), payload))
        elif key in merged:
            earlier = merged[key]
            ids = [*earlier.get("movement_ids", []), *payload.get("movement_ids", [])]
            earlier.clear()
            earlier.update(payload, **({"movement_ids": ids} if ids else {}))
        else:
            merged[key] = dict(payload)
            rows.append((key, str(uuid.uuid4()), merged[key]))
    params = {
        "event": event,
        "grace": DISPATCH_GRACE_SECONDS,
        "keys": [key for key, _id, _payload in rows],
        "ids": [id_ for _key, id_, _payload in rows],
        "payloads": [json.dumps(payload, cls=DjangoJSONEncoder) for _k, _i, payload in rows],
        "webhooks": list(webhooks),
    }
    where = "w.id = ANY(%(webhooks)s)" if webhooks else "w.is_active AND %(event)s = ANY(w.events)"
    sql = INSERT_SQL.replace("{where}", where)
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(sql, params)
        created = [pk for pk, inserted in cursor.fetchall() if inserted]
    if created:
        transaction.on_commit(partial(_dispatch, tuple(created)), robust=True)
    return created


def _dispatch(ids: tuple[int, ...]) -> None:
    """Hand the deliveries to workers; without a broker, to a thread of this process (tests:
    in place), so a slow receiver never holds the request that caused the event."""
    from .tasks import deliver_webhook

    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "BACKGROUND_THREADS", False):
        threading.Thread(target=_send_in_thread, args=(ids,), daemon=True).start()
        return
    for pk in ids:
        deliver_webhook.delay(pk, 1)


def _send_in_thread(ids: tuple[int, ...]) -> None:
    from .tasks import deliver_webhook

    close_old_connections()
    try:
        for pk in ids:
            deliver_webhook.apply(args=(pk, 1))
    except Exception:
        logger.exception("Sending webhook deliveries %r failed", ids)
    finally:
        connections.close_all()


# --- The events, as the services announce them ------------------------------------------------
def _when(value: datetime | None) -> datetime:
    return value or timezone.now()


def stock_levels_changed(
    levels: Iterable, *, kind: str, movements: Iterable = (), occurred_at: datetime | None = None
) -> None:
    """Announce each StockLevel in `levels` as it stands now (one event per product and
    location in the transaction). `levels` come with their product (stock.services locks them
    so); `movements` are the ledger rows that changed them, `kind` what happened."""
    if Event.STOCK_LEVEL_CHANGED not in _subscribed():
        return
    moved: dict[tuple[int, int], list[int]] = {}
    for movement in movements:
        for location_id in (movement.from_location_id, movement.to_location_id):
            if location_id:
                moved.setdefault((movement.product_id, location_id), []).append(movement.pk)
    when = _when(occurred_at)
    items = [
        (
            f"{level.product_id}:{level.location_id}",
            {
                "product_id": level.product_id,
                "sku": level.product.sku,
                "location_id": level.location_id,
                "on_hand": level.on_hand,
                "reserved": level.reserved,
                "available": level.on_hand - level.reserved,
                "movement_kind": kind,
                "movement_ids": moved.get((level.product_id, level.location_id), []),
                "occurred_at": when,
            },
        )
        for level in levels
    ]
    emit_many(Event.STOCK_LEVEL_CHANGED, items)


def low_stock_announced(alerts: Iterable, products: dict, low: dict) -> None:
    """Announce low-stock alerts that just fired (stock.alerts: `products` by id, `low` by
    (product id, location id or None) -> (available, reorder point, location or None))."""
    if Event.LOW_STOCK not in _subscribed():
        return
    items = []
    for alert in alerts:
        product = products[alert.product_id]
        available, point, location = low[(alert.product_id, alert.location_id)]
        payload = {
            "product_id": product.pk,
            "sku": product.sku,
            "name": product.name,
            "location_id": alert.location_id,  # None: over all locations
            "location_name": location.name if location else None,
            "available": available,
            "reorder_point": point,
            "occurred_at": alert.created_at
            if isinstance(alert.created_at, datetime)
            else timezone.now(),
        }
        items.append((None, payload))
    emit_many(Event.LOW_STOCK, items)


ORDER_TYPES = {"purchaseorder": "purchase_order", "salesorder": "sales_order"}


def _actor(actor) -> dict | None:
    return {"id": actor.pk, "username": actor.get_username()} if actor else None


def order_status_changed(order, *, old: str, new: str, actor) -> None:
    """Announce that `order` (purchase or sales) moved from `old` to `new`."""
    order_statuses_changed(order, [(old, new)], actor=actor)


def order_statuses_changed(order, steps: Sequence[tuple[str, str]], *, actor) -> None:
    """Announce that `order` went through `steps`, each (old, new), in one statement (a counter
    sale is confirmed, fulfilled and completed at once: three events, in that order)."""
    if not steps or Event.ORDER_STATUS_CHANGED not in _subscribed():
        return
    at, who = timezone.now(), _actor(actor)
    items = [
        (
            None,
            {
                "order_type": ORDER_TYPES[order._meta.model_name],
                "order_id": order.pk,
                "number": order.number,
                "from": old,
                "to": new,
                "actor": who,
                "at": at,
            },
        )
        for old, new in steps
    ]
    emit_many(Event.ORDER_STATUS_CHANGED, items)


def purchase_order_received(order, *, received: Iterable[tuple], actor) -> None:
    """Announce goods received against `order`: `received` holds (line, quantity) pairs."""
    if Event.PURCHASE_ORDER_RECEIVED not in _subscribed():
        return
    payload = {
        "order_id": order.pk,
        "number": order.number,
        "supplier_id": order.supplier_id,
        "location_id": order.location_id,
        "status": order.status,
        "lines": [
            {
                "line_id": line.pk,
                "product_id": line.product_id,
                "sku": line.product.sku,
                "quantity": quantity,
                "unit_cost": line.unit_cost,
                "received_quantity": line.received_quantity,
                "ordered_quantity": line.quantity,
            }
            for line, quantity in received
        ],
        "actor": _actor(actor),
        "at": timezone.now(),
    }
    emit(Event.PURCHASE_ORDER_RECEIVED, payload)


def webhooks_ping(webhooks: Iterable[Webhook], *, actor) -> list[int]:
    """Queue a test ping to each of `webhooks` (active or not); return the delivery ids."""
    ids = [webhook.pk for webhook in webhooks]
    payload = {"message": "ping", "sent_by": _actor(actor), "at": timezone.now()}
    return emit_many(PING, [(None, payload)], webhooks=ids)
