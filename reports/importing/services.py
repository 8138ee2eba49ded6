"""Sales history imports, step by step: store the file, preview it with the user's column
mapping and options, then start the import, which a worker applies (see `applying`)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from inventory_site.background import run_after_commit
from inventory_site.spreadsheets import UnreadableFileError

from ..models import ImportBatch
from .parsing import Conventions
from .planning import ImportOptions, ImportPlan, detect_conventions, sales_history_plan
from .reading import FileFormat, data_rows, inspect_upload

Status = ImportBatch.Status


class AlreadyImportedError(Exception):
    """The very same file was imported before; `batch` is that import."""

    def __init__(self, batch: ImportBatch):
        super().__init__(batch.file_name)
        self.batch = batch


def sales_history_file_store(*, actor: User, upload: UploadedFile) -> ImportBatch:
    """Keep an uploaded file and open its import batch (pending: nothing is read into it yet).

    Raise UnreadableFileError for a file that cannot be read, AlreadyImportedError for a file
    whose exact bytes were imported before.
    """
    info = inspect_upload(upload.name, upload)
    done = ImportBatch.objects.filter(file_sha256=info.sha256, status=Status.DONE).first()
    if done is not None:
        raise AlreadyImportedError(done)
    upload.seek(0)
    suffix = PurePath(upload.name).suffix.lower()
    key = default_storage.save(f"imports/sales/{uuid.uuid4().hex}{suffix}", upload)
    return ImportBatch.objects.create(
        file_name=PurePath(upload.name).name[:255],
        file_sha256=info.sha256,
        uploaded_by=actor,
        options={
            "file": {"key": key, **info.format.as_dict()},
            "headers": info.headers,
            "samples": info.samples,
        },
    )


@contextmanager
def batch_rows(batch: ImportBatch) -> Iterator[Iterator[tuple[int, list]]]:
    """Open the batch's stored file; yield its data rows as (line number, cells)."""
    stored = batch.options.get("file") or {}
    file_format = FileFormat(**{k: v for k, v in stored.items() if k != "key"})
    try:
        stream = default_storage.open(stored["key"], "rb")
    except (KeyError, OSError) as error:
        raise UnreadableFileError(
            _("The uploaded file is no longer available: upload it again.")
        ) from error
    with stream:
        yield data_rows(stream, file_format)


def batch_conventions(batch: ImportBatch, options: ImportOptions) -> Conventions:
    """The conventions found at preview (the file and mapping are the same), or find them."""
    if known := batch.options.get("conventions"):
        return Conventions(**known)
    with batch_rows(batch) as rows:
        return detect_conventions(rows, options, batch.options["file"].get("delimiter", ","))


def sales_history_preview(*, actor: User, batch: ImportBatch, options: ImportOptions) -> ImportPlan:
    """Check the batch's file with these options; keep the options and the outcome on it.

    Writes nothing else. Raise UnreadableFileError for a file that cannot be read.
    """
    batch.options = {
        key: value for key, value in batch.options.items() if key in ("file", "headers", "samples")
    }
    conventions = batch_conventions(batch, options)
    with batch_rows(batch) as rows:
        plan = sales_history_plan(
            rows, headers=batch.options["headers"], options=options, conventions=conventions
        )
    batch.options |= options.as_dict() | {"conventions": asdict(conventions)}
    batch.status = Status.PENDING
    batch.stage = ""
    batch.total_rows = plan.lines
    batch.processed_rows = 0
    batch.report = plan.summary()
    batch.problems = [problem.as_dict() for problem in plan.problems]
    batch.save(
        update_fields=[
            "options", "status", "stage", "total_rows", "processed_rows", "report", "problems",
        ]
    )  # fmt: skip
    return plan


def sales_history_import_start(*, actor: User, batch: ImportBatch) -> bool:
    """Queue the import of a previewed batch; False when it is not waiting to be imported.

    The worker starts after this transaction commits (without a broker: a thread of this
    process, see inventory_site/background.py).
    """
    from ..tasks import sales_history_import

    if "mapping" not in batch.options:
        return False
    started = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[Status.PENDING, Status.FAILED]
    ).update(status=Status.RUNNING, stage=ImportBatch.Stage.QUEUED, processed_rows=0)
    if started:
        run_after_commit(sales_history_import, batch.pk)
    return bool(started)
