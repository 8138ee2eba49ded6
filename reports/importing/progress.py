"""Report an import's progress from outside its transaction.

The import writes all its lines in one transaction, and nothing of it is visible to others
until it commits; the page that polls the batch must see the progress meanwhile. So progress
goes through a second database connection of its own, in autocommit, and touches only the
batch's progress columns (an UPDATE that does not change a key does not wait for the lines
that reference the batch).
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from ..models import ImportBatch

logger = logging.getLogger(__name__)


class ProgressWriter:
    """Callable as progress(stage, processed_rows); use it as a context manager."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self._connection = None

    def __enter__(self) -> "ProgressWriter":
        # A new connection with the default's settings, not the default one of this thread.
        default = connections[DEFAULT_DB_ALIAS]
        self._connection = type(default)(dict(default.settings_dict), DEFAULT_DB_ALIAS)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __call__(self, stage: str, processed_rows: int) -> None:
        if self._connection is None:
            return
        table = ImportBatch._meta.db_table
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET stage = %s, processed_rows = %s WHERE id = %s",  # noqa: S608
                    [stage, processed_rows, self.batch_id],
                )
        except DatabaseError:
            # Progress is a courtesy: losing it must not stop the import.
            logger.exception("Cannot report the progress of import batch %s", self.batch_id)
            self.__exit__()
