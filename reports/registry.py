"""The reports there are: every module in reports/library/ defines one `Report` subclass."""

import importlib
import pkgutil
from functools import cache

from . import library
from .base import Report


@cache
def reports() -> dict[str, type[Report]]:
    """slug -> report class, in menu order."""
    found = []
    for module in pkgutil.iter_modules(library.__path__):
        imported = importlib.import_module(f"{library.__name__}.{module.name}")
        found += [
            value
            for value in vars(imported).values()
            if isinstance(value, type)
            and issubclass(value, Report)
            and value is not Report
            and value.__module__ == imported.__name__
        ]
    return {report.slug: report for report in sorted(found, key=lambda r: (r.order, r.slug))}


def get(slug: str) -> type[Report] | None:
    return reports().get(slug)
