"""PDF documents (invoice, receipt, purchase order) rendered by WeasyPrint from templates.

Everything printed comes through Django templates, so text from users is escaped. WeasyPrint
fetches nothing but the app's own static files: the URL fetcher refuses every other URL (the
network, the file system), so no product name, note or customer name can make it read a file or
call a server. The logo is inlined as a data: URL by the view, never fetched by path.
"""

import base64
import logging
import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

logger = logging.getLogger(__name__)

BASE_URL = "app://documents/"  # relative and {% static %} URLs resolve under it
STATIC_PREFIX = BASE_URL + "static/"


class RefusedURLError(ValueError):
    """A document asked for something outside the app's static files."""


def url_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Serve data: URLs and the app's static files; refuse everything else."""
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url)
    if url.startswith(STATIC_PREFIX):
        relative = url[len(STATIC_PREFIX) :].split("?")[0]
        found = finders.find(relative) if ".." not in Path(relative).parts else None
        if found:
            return {
                "string": Path(found).read_bytes(),
                "mime_type": mimetypes.guess_type(found)[0] or "application/octet-stream",
            }
    logger.warning("Document asked for %s: refused", url[:200])
    raise RefusedURLError(f"refused: {url[:200]}")


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


def render_pdf(template: str, context: dict) -> bytes:
    """Render `template` with `context` to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "STATIC_BASE": STATIC_PREFIX})
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).write_pdf()


def pdf_response(pdf: bytes, name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(name)}.pdf"'
    return response


def _company_context() -> dict:
    from .models import CompanyProfile

    company = CompanyProfile.current()
    return {"company": company, "logo": logo_data_url(company)}


def invoice_pdf(order) -> bytes:
    """The A4 invoice of a sales order (the amounts stored by orders.pricing)."""
    lines = order.lines.select_related("product").order_by("pk")
    return render_pdf(
        "documents/invoice.html", {**_company_context(), "order": order, "lines": lines}
    )


def receipt_pdf(order) -> bytes:
    """The 80 mm receipt of a counter sale."""
    lines = order.lines.select_related("product").order_by("pk")
    return render_pdf(
        "documents/receipt.html", {**_company_context(), "order": order, "lines": lines}
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
        **_company_context(), "order": order, "lines": lines,
        "total": sum((line.amount for line in lines), 0),
    }  # fmt: skip
    return render_pdf("documents/purchase_order.html", context)
