"""Import/export plumbing shared by every domain: check an uploaded spreadsheet before anything
parses it, stream its rows, write rows out with formula injection neutralised.

Uploads are untrusted: the type comes from the bytes (magic numbers), not from the name; a .xlsx is
a zip, so its declared unpacked size is capped (zip bombs) and macro parts are refused; a CSV must
be text in UTF-8 or GBK (GB 18030). Every refusal is a 4xx with a code, never a 500."""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shoal.core.errors import ShoalError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls / .doc (old Office), can carry macros
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlam", ".docm", ".dotm", ".pptm", ".potm", ".ppsm"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class UploadRejected(ShoalError):
    status = 400
    code = "upload_rejected"
    default_message = _("This file cannot be accepted.")


class FileTooLarge(ShoalError):
    status = 413
    code = "file_too_large"
    default_message = _("The file is too large.")


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise FileTooLarge(
            _("The file is too large (at most %(mb)s MB).") % {"mb": f"{limit / 1024 / 1024:g}"},
        )


def macro_extension(name: str) -> bool:
    return Path(name or "").suffix.lower() in MACRO_EXTENSIONS


def zip_check(fileobj: IO[bytes], *, max_unpacked: int) -> zipfile.ZipFile:
    """A zip we are willing to open: readable, not unpacking beyond ``max_unpacked``, no macros.
    zipfile never inflates an entry past its declared size, so the declared sizes are the bound."""
    try:
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRejected(_("The file is damaged or not a real Excel/Office file."), code="bad_file") from None
    total = sum(info.file_size for info in infos)
    if total > max_unpacked or len(infos) > 10_000:
        raise UploadRejected(_("The file unpacks to more data than allowed."), code="file_too_complex")
    names = {info.filename.lower() for info in infos}
    content_types = ""
    if "[content_types].xml" in names:
        with archive.open(next(i for i in infos if i.filename.lower() == "[content_types].xml")) as part:
            content_types = part.read(1_000_000).decode("utf-8", "replace").lower()
    if any(n.endswith("vbaproject.bin") or n.endswith(".bin") and "vba" in n for n in names) or (
        "macroenabled" in content_types or "vbaproject" in content_types
    ):
        raise UploadRejected(_("Files with macros are not accepted."), code="macro_not_allowed")
    return archive


def sniff_spreadsheet(fileobj: IO[bytes], name: str) -> str:
    """→ "xlsx" or "csv" from the bytes; anything else (or a macro file) is refused."""
    if macro_extension(name):
        raise UploadRejected(_("Files with macros are not accepted."), code="macro_not_allowed")
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    suffix = Path(name or "").suffix.lower()
    if head.startswith(ZIP_MAGIC):
        archive = zip_check(fileobj, max_unpacked=settings.SHOAL_IMPORT_MAX_UNPACKED_BYTES)
        names = {n.lower() for n in archive.namelist()}
        fileobj.seek(0)
        if "xl/workbook.xml" not in names:
            raise UploadRejected(_("Upload an .xlsx or .csv file."), code="unsupported_type")
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise UploadRejected(_("Old .xls files are not accepted; save the file as .xlsx."), code="unsupported_type")
    if suffix in {".xlsx", ".xls"}:
        raise UploadRejected(_("The file's content does not match its name."), code="type_mismatch")
    if b"\x00" in head or suffix not in {".csv", ".txt", ""}:
        raise UploadRejected(_("Upload an .xlsx or .csv file."), code="unsupported_type")
    return "csv"


def detect_encoding(fileobj: IO[bytes], sample: int = 1 << 20) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as such, else GB 18030 (a superset of GBK)."""
    fileobj.seek(0)
    head = fileobj.read(sample)
    fileobj.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < sample)
    except UnicodeDecodeError:
        try:
            codecs.getincrementaldecoder("gb18030")().decode(head, final=len(head) < sample)
        except UnicodeDecodeError:
            raise UploadRejected(_("The CSV file is neither UTF-8 nor GBK text."), code="bad_encoding") from None
        return "gb18030"
    return "utf-8"


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing .0, full-width characters made half-width."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        value = value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def iter_rows(path: str | Path, kind: str, *, encoding: str = "utf-8") -> Iterator[list[str]]:
    """Rows of the first sheet (or the CSV) as lists of text, streamed: memory stays flat."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on hostile files; all mean "not readable"
            raise UploadRejected(_("The file is damaged or not a real Excel/Office file."), code="bad_file") from None
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield [cell_text(v) for v in row]
        finally:
            workbook.close()
        return
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        csv.field_size_limit(1 << 20)
        try:
            for row in csv.reader(text):
                yield [cell_text(v) for v in row]
        except csv.Error:
            raise UploadRejected(_("The CSV file is malformed."), code="bad_file") from None


def neutralise(value) -> str:
    """OWASP CSV injection: a cell a spreadsheet would run as a formula is prefixed with '."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class RowWriter:
    """Streams rows to an .xlsx (openpyxl write-only) or a UTF-8 CSV with BOM (Excel reads it)."""

    def __init__(self, fileobj: IO[bytes], kind: str, *, sheet_title: str = "Sheet1"):
        self.kind = kind
        self.fileobj = fileobj
        if kind == "xlsx":
            from openpyxl import Workbook

            self.workbook = Workbook(write_only=True)
            self.sheet = self.workbook.create_sheet(sheet_title)
        else:
            fileobj.write(codecs.BOM_UTF8)
            self.text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="", write_through=True)
            self.writer = csv.writer(self.text)

    def write(self, row: Iterable) -> None:
        cells = [neutralise(v) for v in row]
        if self.kind == "xlsx":
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            self.sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in cells])
        else:
            self.writer.writerow(cells)

    def close(self) -> None:
        if self.kind == "xlsx":
            self.workbook.save(self.fileobj)
        else:
            self.text.flush()
            self.text.detach()
