"""A report's result as a page's values, a PDF, a CSV or an XLSX workbook: the same numbers.

Exports write each value exactly as the result holds it (amounts rounded to cents by the
report), so a spreadsheet reads the page's numbers; the page and the PDF format them for people.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inventory_site.exports import csv_response, xlsx_response
from inventory_site.templatetags.formatting import grouped
from inventory_site.templatetags.formatting import money as money_text
from inventory_site.templatetags.formatting import qty as qty_text

from .base import DATE, DAYS, INT, MONEY, NUMBER, PERCENT, QTY, TEXT, Result, Table


def display(value, kind: str) -> str:
    """A value as the page and the PDF show it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):  # computed by numpy or pandas: no binary noise on the page
        value = Decimal(repr(round(value, 3)))
    if kind == MONEY:
        return money_text(value)
    if kind == QTY:
        return qty_text(value)
    if kind == PERCENT:
        return f"{qty_text(value)}%"
    if kind == INT:
        return grouped(int(value), 0)  # 1.234 in Indonesian, 1,234 in English
    if kind == DAYS:
        return _("%(days)s d") % {"days": qty_text(value)}
    if kind == NUMBER:
        return qty_text(value)
    if kind == DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)


def plain(value, kind: str):
    """A value as CSV, XLSX and the API carry it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def filename(report, params) -> str:
    return slugify(f"{report.slug}-{params.start}-{params.end}")


def summary_table(result: Result) -> Table:
    from .base import Column

    return Table(
        key="summary",
        title=_("Summary"),
        columns=[
            Column("label", _("Figure")),
            Column("value", _("Value"), NUMBER),
            Column("previous", _("Previous period"), NUMBER),
            Column("change", _("Change %"), PERCENT),
        ],
        rows=[
            {
                "label": figure.label,
                "value": figure.value,
                "previous": figure.previous,
                "change": figure.change,
            }
            for figure in result.figures
        ],
    )


def csv_download(report, params, result: Result, table_key: str | None):
    """One table as CSV: the one asked for, or the report's first."""
    tables = {table.key: table for table in [*result.tables, summary_table(result)]}
    table = tables.get(table_key) or (result.tables[0] if result.tables else tables["summary"])
    return csv_response(
        f"{filename(report, params)}-{table.key}",
        [str(c.label) for c in table.columns],
        _plain_rows(table),
    )


def _plain_rows(table: Table):
    for row in table.rows:
        yield [plain(value, column.kind)
               for value, column in zip(table.values(row), table.columns, strict=True)]  # fmt: skip


def xlsx_download(report, params, result: Result):
    """A workbook: the summary, then one sheet per table."""
    sheets = [
        (str(table.title), [str(c.label) for c in table.columns], _plain_rows(table))
        for table in [summary_table(result), *result.tables]
    ]
    return xlsx_response(filename(report, params), sheets)


def pdf_download(report, params, result: Result, charts, context: dict) -> HttpResponse:
    from orders.documents import company_context, pdf_response, render_pdf

    html_context = {
        **context, **company_context(), "report": report, "params": params, "result": result,
        "charts": charts,
    }  # fmt: skip
    pdf = render_pdf(
        "reports/report_pdf.html", html_context, subject=f"report:{report.slug}", store=False
    )
    return pdf_response(pdf, filename(report, params), inline=False)


def as_json(report, params, result: Result) -> dict:
    return {
        "report": report.slug,
        "title": str(report.title),
        "params": params.as_dict(),
        "figures": [
            {
                "key": f.key,
                "label": str(f.label),
                "kind": f.kind,
                "value": f.value,
                "previous": f.previous,
                "change": f.change,
            }
            for f in result.figures
        ],
        "tables": {
            table.key: {
                "title": str(table.title),
                "columns": [
                    {"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns
                ],
                "rows": [
                    {c.key: plain(row.get(c.key), c.kind) for c in table.columns}
                    for row in table.rows
                ],
            }
            for table in result.tables
        },
        "notes": [str(note) for note in result.notes],
    }


def page_rows(table: Table) -> list[list[tuple[str, str]]]:
    """Each row's cells as (text, kind) for the templates."""
    return [
        [(display(value, column.kind), column.kind)
         for value, column in zip(table.values(row), table.columns, strict=True)]
        for row in table.rows
    ]  # fmt: skip


_CELL = {True: '<td class="text-end text-nowrap">', False: "<td>"}


def html_rows(rows: list[list[tuple[str, str]]]) -> list[str]:
    """`page_rows` as the page's `<tr>` elements (numbers right-aligned), built in Python: a
    table of a thousand rows through the template language costs a tenth of a second."""
    return [
        mark_safe(  # noqa: S308 (every text is escaped here)
            "<tr>"
            + "".join(
                f"{_CELL[kind not in (TEXT, DATE)]}{conditional_escape(text)}</td>"
                for text, kind in row
            )
            + "</tr>"
        )
        for row in rows
    ]
