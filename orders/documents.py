"""PDF documents (invoice, receipt, purchase order) rendered by WeasyPrint from templates.

Everything printed comes through Django templates, so text from users is escaped. WeasyPrint
fetches nothing but the app's own static files: the URL fetcher refuses every other URL (the
network, the file system), so no product name, note or customer name can make it read a file or
call a server. The logo is inlined as a data: URL by the view, never fetched by path.

Drawing a long document takes WeasyPrint about a second (bench/documents.py), so each PDF is
stored under the hash of its HTML (`RenderedDocument`) and a document asked for again is served
from there. Confirming an order or finishing a sale prepares its PDF on a worker when a broker
is configured (orders/tasks.py), so even the first download is served from the store.
"""

import base64
import gc
import hashlib
import logging
import mimetypes
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

logger = logging.getLogger(__name__)

BASE_URL = "app://documents/"  # relative and {% static %} URLs resolve under it
STATIC_PREFIX = BASE_URL + "static/"


class RefusedURLError(ValueError):
    """A document asked for something outside the app's static files."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DocumentURLFetcher(URLFetcher):
        """Serve data: URLs and the app's static files; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                relative = url[len(STATIC_PREFIX) :].split("?")[0]
                found = finders.find(relative) if ".." not in Path(relative).parts else None
                if found:
                    mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, Path(found).read_bytes(), headers={"Content-Type": mime}
                    )
            logger.warning("Document asked for %s: refused", url[:200])
            raise RefusedURLError(f"refused: {url[:200]}")

    return DocumentURLFetcher


def document_url_fetcher():
    """A URL fetcher for one document (WeasyPrint's fetchers keep state while fetching)."""
    return _fetcher_class()(allowed_protocols=("data", "app"), allow_redirects=False)


def url_fetcher(url: str):
    """Fetch `url` as a document would: the response, or RefusedURLError."""
    return document_url_fetcher().fetch(url)


def logo_data_url(profile) -> str:
    """The company logo as a data: URL ("" when there is none or it cannot be read)."""
    if not profile.logo:
        return ""
    try:
        with profile.logo.open("rb") as image:
            data = image.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(profile.logo.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@contextmanager
def _fewer_collections():
    """Collect young objects less often while WeasyPrint draws.

    Drawing allocates hundreds of thousands of short-lived boxes; at the default threshold the
    collector runs so often (and walks the whole process with it) that it takes a sixth of the
    time (bench/documents.py). Everything is collected as usual afterwards.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def render_pdf(template: str, context: dict, *, subject: str, store: bool = True) -> bytes:
    """Render `template` with `context` to PDF bytes, or serve the stored PDF of the same HTML.

    `subject` names the document ("invoice:42"); older renderings of it are dropped. With
    `store` false (reports: each one differs), the PDF is drawn and not kept.
    """
    import weasyprint

    from .models import RenderedDocument

    html = render_to_string(
        template, {**context, "STATIC_BASE": STATIC_PREFIX, "CURRENCY": settings.CURRENCY}
    )
    if not store:
        with _fewer_collections():
            document = weasyprint.HTML(
                string=html, base_url=BASE_URL, url_fetcher=document_url_fetcher()
            )
            return document.write_pdf()
    key = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()
    stored = RenderedDocument.objects.filter(key=key).values_list("pdf", flat=True).first()
    if stored is not None:
        return bytes(stored)
    start = time.perf_counter()
    with _fewer_collections():
        document = weasyprint.HTML(
            string=html, base_url=BASE_URL, url_fetcher=document_url_fetcher()
        )
        pdf = document.write_pdf()
    elapsed = round((time.perf_counter() - start) * 1000)
    RenderedDocument.objects.bulk_create(
        [RenderedDocument(key=key, subject=subject, pdf=pdf, render_ms=elapsed)],
        ignore_conflicts=True,  # the same HTML rendered at the same moment elsewhere
    )
    RenderedDocument.objects.filter(subject=subject).exclude(key=key).delete()
    return pdf


def warm_up() -> float:
    """Draw a small throw-away document through the documents' stylesheet and return the
    seconds it took. A web process's first PDF otherwise pays for loading WeasyPrint, its
    fonts and the stylesheet (about a second); gunicorn.conf.py calls this as each worker
    starts, before it takes requests."""
    start = time.perf_counter()
    render_pdf("documents/warm_up.html", {}, subject="warm-up", store=False)
    return time.perf_counter() - start


def pdf_response(pdf: bytes, name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(name)}.pdf"'
    return response


def company_context() -> dict:
    from .models import CompanyProfile

    company = CompanyProfile.current()
    return {"company": company, "logo": logo_data_url(company)}


def invoice_pdf(order) -> bytes:
    """The A4 invoice of a sales order (the amounts stored by orders.pricing)."""
    lines = order.lines.select_related("product").order_by("pk")
    return render_pdf(
        "documents/invoice.html",
        {**company_context(), "order": order, "lines": lines},
        subject=f"invoice:{order.pk}",
    )


def receipt_pdf(order) -> bytes:
    """The 80 mm receipt of a counter sale."""
    lines = order.lines.select_related("product").order_by("pk")
    return render_pdf(
        "documents/receipt.html",
        {**company_context(), "order": order, "lines": lines},
        subject=f"receipt:{order.pk}",
    )


def purchase_order_pdf(order) -> bytes:
    """The purchase order to send to the supplier, with the supplier's own SKUs."""
    from suppliers.models import SupplierProduct

    lines = list(order.lines.select_related("product").order_by("pk"))
    theirs = dict(
        SupplierProduct.objects.filter(
            supplier=order.supplier_id, product__in=[line.product_id for line in lines]
        ).values_list("product_id", "supplier_sku")
    )
    for line in lines:
        line.supplier_sku = theirs.get(line.product_id, "")
    context = {
        **company_context(), "order": order, "lines": lines,
        "total": sum((line.amount for line in lines), 0),
    }  # fmt: skip
    return render_pdf(
        "documents/purchase_order.html", context, subject=f"purchase-order:{order.pk}"
    )
