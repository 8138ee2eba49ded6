"""Background work of orders: preparing PDF documents before anyone asks for them."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    soft_time_limit=120,
    time_limit=150,
)
def document_prepare(kind: str, pk: int) -> bool:
    """Render one order's PDF into the document store; True when it was drawn now.

    Idempotent: the store is keyed by the document's HTML, so a redelivered or repeated task
    finds the PDF there and draws nothing.
    """
    from . import documents
    from .models import PurchaseOrder, RenderedDocument, SalesOrder

    if kind == "purchase-order":
        order = PurchaseOrder.objects.select_related("supplier", "location").filter(pk=pk).first()
        render = documents.purchase_order_pdf
    else:
        order = SalesOrder.objects.select_related("customer", "location").filter(pk=pk).first()
        render = documents.receipt_pdf if kind == "receipt" else documents.invoice_pdf
    if order is None:
        return False
    before = RenderedDocument.objects.filter(subject=f"{kind}:{pk}").values("key").first()
    render(order)
    after = RenderedDocument.objects.filter(subject=f"{kind}:{pk}").values("key").first()
    logger.info("Prepared %s:%s", kind, pk)
    return before != after


def document_prepare_later(order) -> None:
    """After commit, render the PDF of `order` (its invoice, its counter receipt or the
    purchase order) in the background, once per transaction however often its status moves.

    With a broker a worker draws it; without one (the quick start) a thread of this process
    does, after the response has gone, so the request that moved the order is not slowed.
    Tests (no threads) and `load_demo` (DOCUMENTS_PREPARE off) leave it to the first download.
    """
    from inventory_site.background import in_thread

    from .models import PurchaseOrder, SalesOrder

    eager = settings.CELERY_TASK_ALWAYS_EAGER
    if order.status == "draft" or not getattr(settings, "DOCUMENTS_PREPARE", True):
        return
    if eager and not getattr(settings, "BACKGROUND_THREADS", False):
        return
    if isinstance(order, PurchaseOrder):
        kind = "purchase-order"
    elif order.channel == SalesOrder.Channel.COUNTER:
        kind = "receipt"
    else:
        kind = "invoice"
    target = (kind, order.pk)
    pending = transaction.get_connection().run_on_commit
    if any(getattr(callback, "document", None) == target for _, callback, _ in pending):
        return

    def send():
        if eager:
            in_thread(document_prepare, target)
        else:
            document_prepare.delay(*target)

    send.document = target
    transaction.on_commit(send, robust=True)
