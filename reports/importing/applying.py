"""Import a previewed batch: all its lines in one transaction, or none.

The file is checked again first (the database may have changed since the preview). One bad
line and nothing is written: the batch fails with every problem and its line number. Otherwise
the missing customers and products are created, and the lines are copied in with PostgreSQL's
COPY, CHUNK lines at a time, while a second connection reports the progress (`progress`).

Imported history feeds the sales reports through the `reports_sales_fact` view; it never
touches stock (no StockMovement, no StockLevel): the goods left long ago.
"""

import io
import logging
import zlib
from datetime import datetime, time
from functools import partial

from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory_site.spreadsheets import UnreadableFileError
from orders.models import Customer
from products.models import Product

from ..models import ImportBatch, ImportedSale
from .planning import ImportOptions, ImportPlan, LineReader, revenue, sales_history_plan
from .progress import ProgressWriter
from .services import batch_conventions, batch_rows

logger = logging.getLogger(__name__)

Status, Stage = ImportBatch.Status, ImportBatch.Stage
CHUNK = 5000
# One import at a time: two overlapping files would otherwise both count the same lines new.
LOCK_KEY = zlib.crc32(b"reports.sales_history_import")
COPY_COLUMNS = (
    "batch_id", "line_number", "occurred_at", "document_number", "product_id", "description",
    "quantity", "unit_price", "revenue", "unit_cost", "customer_id", "location_id", "fingerprint",
)  # fmt: skip
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class ImportRefusedError(Exception):
    """The batch cannot be imported: its plan has problems, or `message` says why."""

    def __init__(self, message: str = "", plan: ImportPlan | None = None):
        super().__init__(message)
        self.message = message
        self.plan = plan


def sales_history_import_apply(*, batch_id: int) -> ImportBatch | None:
    """Import the batch's lines, all or none; return the batch (None if there is none).

    Idempotent: a batch already done is returned untouched. Holds a transaction-level advisory
    lock so that imports run one after another.
    """
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status == Status.DONE:
        return batch
    ImportBatch.objects.filter(pk=batch_id).exclude(status=Status.DONE).update(
        status=Status.RUNNING, stage=Stage.QUEUED
    )
    with ProgressWriter(batch_id) as progress:
        try:
            with transaction.atomic():
                _apply(batch_id, progress)
        except ImportRefusedError as refusal:
            _fail(batch_id, refusal.message, refusal.plan)
        except IntegrityError:
            logger.warning("Import batch %s collided with other data", batch_id, exc_info=True)
            _fail(
                batch_id,
                _("The data changed while importing; nothing was imported. Try again."),
            )
        except UnreadableFileError as error:
            _fail(batch_id, str(error))
        except (OperationalError, InterfaceError):
            raise  # the database is unreachable: let the worker retry the task
        except Exception:
            logger.exception("Import batch %s failed", batch_id)
            _fail(batch_id, _("The import failed unexpectedly; nothing was imported."))
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status == Status.DONE:
        transaction.on_commit(partial(_forget_file, batch.options["file"]["key"]))
    return batch


def _apply(batch_id: int, progress: ProgressWriter) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    # No row lock on the batch: the progress connection updates it meanwhile.
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status == Status.DONE:
        return
    if ImportBatch.objects.filter(file_sha256=batch.file_sha256, status=Status.DONE).exists():
        raise ImportRefusedError(_("This file has already been imported."))
    if "mapping" not in batch.options:
        raise ImportRefusedError(_("Choose the columns first."))
    options = ImportOptions.from_dict(batch.options)
    conventions = batch_conventions(batch, options)
    with batch_rows(batch) as rows:
        plan = sales_history_plan(
            rows,
            headers=batch.options["headers"],
            options=options,
            conventions=conventions,
            progress=partial(progress, Stage.CHECKING.value),
        )
    if not plan.can_apply:
        message = "" if plan.problem_count else _("There is nothing new to import in this file.")
        raise ImportRefusedError(message, plan)
    _create_customers(plan)
    _create_products(plan)
    imported = _write_lines(batch, plan, options, progress)
    batch.status = Status.DONE
    batch.stage = ""
    batch.total_rows = batch.processed_rows = plan.lines
    batch.imported_rows = imported
    batch.skipped_rows = plan.skipped_count
    batch.report = plan.summary()
    batch.problems = []
    batch.finished_at = timezone.now()
    batch.save()


def _create_customers(plan: ImportPlan) -> None:
    created = Customer.objects.bulk_create(
        [Customer(name=name) for name in plan.new_customers.values()], batch_size=1000
    )
    plan.lookups.customers.update({c.name.lower(): c.pk for c in created})


def _create_products(plan: ImportPlan) -> None:
    created = Product.objects.bulk_create(
        [Product(sku=sku, name=name) for sku, name in plan.new_products.values()],
        batch_size=1000,
    )
    plan.lookups.products.update({p.sku.lower(): (p.pk, p.cost_price) for p in created})


def _write_lines(
    batch: ImportBatch, plan: ImportPlan, options: ImportOptions, progress: ProgressWriter
) -> int:
    """Read the file again and COPY every line to import; return how many were written."""
    # A second reading that shares the first one's fingerprints: the same lines are the
    # duplicates, and any problem now means the database changed under us.
    again = ImportPlan(plan.conventions, plan.lookups, first_line=plan.first_line)
    reader = LineReader(again, headers=batch.options["headers"], options=options)
    products, customers = plan.lookups.products, plan.lookups.customers
    noon: dict = {}
    buffer = io.StringIO()
    written = pending = 0
    with batch_rows(batch) as rows, connection.cursor() as cursor:
        for count, sale in enumerate(reader.read(rows), start=1):
            if count % CHUNK == 0:
                progress(Stage.WRITING.value, count)
            if sale is None or sale.fingerprint in plan.already_imported:
                continue
            if (occurred := noon.get(sale.day)) is None:
                occurred = noon[sale.day] = datetime.combine(
                    sale.day, time(12), tzinfo=timezone.get_default_timezone()
                ).isoformat()
            product_id, cost = products[sale.code_key]
            customer_id = customers[sale.customer.lower()] if sale.customer else None
            buffer.write(
                "\t".join((
                    str(batch.pk), str(sale.line), occurred,
                    sale.document.translate(_COPY_ESCAPES), str(product_id),
                    sale.description.translate(_COPY_ESCAPES), str(sale.quantity),
                    str(sale.price), str(revenue(sale.quantity, sale.price)), str(cost),
                    _copy_id(customer_id), _copy_id(sale.location_id), sale.fingerprint.hex(),
                )) + "\n"
            )  # fmt: skip
            written += 1
            pending += 1
            if pending == CHUNK:
                _copy(cursor, buffer)
                pending = 0
        if again.problem_count:
            raise ImportRefusedError(plan=again)
        _copy(cursor, buffer)
    progress(Stage.WRITING.value, plan.lines)
    return written


def _copy_id(pk: int | None) -> str:
    return "\\N" if pk is None else str(pk)


def _copy(cursor, buffer: io.StringIO) -> None:
    if not buffer.tell():
        return
    buffer.seek(0)
    columns = ", ".join(COPY_COLUMNS)
    cursor.copy_expert(f"COPY {ImportedSale._meta.db_table} ({columns}) FROM STDIN", buffer)
    buffer.seek(0)
    buffer.truncate()


def _fail(batch_id: int, message: str = "", plan: ImportPlan | None = None) -> None:
    """Record why the batch was not imported (outside the rolled-back transaction)."""
    fields = {"status": Status.FAILED, "stage": "", "finished_at": timezone.now()}
    if plan is not None:
        fields |= {
            "report": plan.summary(),
            "problems": [problem.as_dict() for problem in plan.problems],
            "total_rows": plan.lines,
        }
    if message:
        fields["problems"] = [{"line": None, "column": "", "message": message}]
    ImportBatch.objects.filter(pk=batch_id).exclude(status=Status.DONE).update(**fields)


def _forget_file(key: str) -> None:
    try:
        default_storage.delete(key)
    except OSError:
        logger.warning("Cannot delete the imported file %s", key, exc_info=True)
