"""Stream the rows of a stored CSV or XLSX file, one at a time, with their line numbers.

A sales history runs to hundreds of thousands of lines, so nothing here holds the whole file:
CSV goes through the `csv` module over a decoding stream, XLSX through openpyxl's read-only
mode. What a file needs to be read again (its kind, encoding, separator) is found once, when it
is stored (`inspect_upload`), and kept with the batch.
"""

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from inventory_site.spreadsheets import UnreadableFileError

SUFFIXES = (".csv", ".txt", ".xlsx")
DELIMITERS = ";,\t|"
SAMPLE_ROWS = 3
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileFormat:
    """How to read a stored file again."""

    kind: str  # "csv" or "xlsx"
    encoding: str = "utf-8-sig"
    delimiter: str = ","

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FileInfo:
    """What inspecting an upload found: its fingerprint, format, headers and first rows."""

    sha256: str
    format: FileFormat
    headers: list[str] = field(default_factory=list)
    samples: list[list[str]] = field(default_factory=list)  # first data rows, as text


def is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def inspect_upload(name: str, stream: IO[bytes]) -> FileInfo:
    """Fingerprint `stream`, find how to read it and read its header and first rows.

    Raise UnreadableFileError (with a message for the user) for a file that cannot be read.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFileError(_("Upload a .csv or .xlsx file."))
    digest = hashlib.sha256()
    utf8, cp1252 = codecs.getincrementaldecoder("utf-8")(), codecs.getincrementaldecoder("cp1252")()
    valid = {"utf-8-sig": suffix != ".xlsx", "cp1252": suffix != ".xlsx"}
    first_chunk = b""
    stream.seek(0)
    while True:
        chunk = stream.read(_CHUNK)
        first_chunk = first_chunk or chunk
        digest.update(chunk)
        for encoding, decoder in (("utf-8-sig", utf8), ("cp1252", cp1252)):
            if valid[encoding]:
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError:
                    valid[encoding] = False
        if not chunk:
            break
    if not first_chunk:
        raise UnreadableFileError(_("The file is empty."))
    if suffix == ".xlsx":
        file_format = FileFormat("xlsx")
    else:
        if b"\x00" in first_chunk:
            raise UnreadableFileError(_("This is not a text (CSV) file."))
        encoding = next((name for name, ok in valid.items() if ok), "latin-1")
        first_line = next(
            (line for line in first_chunk.decode(encoding, "replace").splitlines() if line.strip()),
            "",
        )
        delimiter = max(DELIMITERS, key=first_line.count)
        file_format = FileFormat("csv", encoding, delimiter if first_line.count(delimiter) else ",")
    stream.seek(0)
    info = FileInfo(digest.hexdigest(), file_format)
    for _line, cells in iter_rows(stream, file_format):
        if is_blank(cells):
            continue
        if not info.headers:
            info.headers = [_text(cell) for cell in cells]
            continue
        info.samples.append([_text(cell) for cell in cells])
        if len(info.samples) == SAMPLE_ROWS:
            break
    if not info.headers:
        raise UnreadableFileError(_("The file is empty."))
    return info


def _text(cell) -> str:
    if cell is None:
        return ""
    if hasattr(cell, "date") and hasattr(cell, "hour"):  # a datetime cell
        return cell.date().isoformat()
    return str(cell).strip()


def iter_rows(stream: IO[bytes], file_format: FileFormat) -> Iterator[tuple[int, list]]:
    """Yield (line number, cells) for every row of the file, blank ones too (the caller skips
    them), so that numbers match what the user sees: the header is line 1.

    CSV cells are strings; XLSX cells are what the sheet holds (str, int, float, datetime).
    """
    if file_format.kind == "xlsx":
        yield from _xlsx_rows(stream)
    else:
        yield from _csv_rows(stream, file_format)


def _csv_rows(stream: IO[bytes], file_format: FileFormat) -> Iterator[tuple[int, list]]:
    # "replace": the five bytes cp1252 leaves undefined must not stop a cp1252 file.
    text = io.TextIOWrapper(stream, encoding=file_format.encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=file_format.delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1  # a quoted cell may span lines: count them all
    except csv.Error as error:
        raise UnreadableFileError(
            _("Line %(line)s cannot be read: %(error)s") % {"line": line, "error": error}
        ) from error
    finally:
        text.detach()  # the caller's stream stays open


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, list]]:
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise UnreadableFileError(_("This is not a readable .xlsx file.")) from error
    line = 0
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read every row there is.
        sheet.reset_dimensions()
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(cells)
    except UnreadableFileError:
        raise
    except Exception as error:  # a damaged sheet inside a valid zip
        raise UnreadableFileError(
            _("Row %(line)s of the sheet cannot be read.") % {"line": line + 1}
        ) from error
    finally:
        workbook.close()


def data_rows(stream: IO[bytes], file_format: FileFormat) -> Iterator[tuple[int, list]]:
    """Yield (line number, cells) of the rows under the header, blank rows left out."""
    rows = iter_rows(stream, file_format)
    for _line, cells in rows:
        if not is_blank(cells):
            break  # the header
    for line, cells in rows:
        if not is_blank(cells):
            yield line, cells
