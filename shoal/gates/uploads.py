"""Upload limits every upload endpoint applies (issue 9): size (settings.SHOAL_MAX_UPLOAD_MB),
type by extension AND by the file's first bytes, and a storage name made by the server.

    from shoal.gates.uploads import check_upload, storage_name
    kind = check_upload(request.FILES["file"], {"xlsx", "csv"})   # 413 / 400 on a bad file
    path = storage_name(upload.name)                               # never the client's name
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from shoal.core.errors import InvalidInput, PayloadTooLarge

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension → test of the first bytes
SIGNATURES = {
    "xlsx": lambda head: head.startswith(_ZIP),
    "docx": lambda head: head.startswith(_ZIP),
    "pptx": lambda head: head.startswith(_ZIP),
    "zip": lambda head: head.startswith(_ZIP),
    "xls": lambda head: head.startswith(_OLE),
    "doc": lambda head: head.startswith(_OLE),
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "gif": lambda head: head.startswith((b"GIF87a", b"GIF89a")),
    "webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "csv": lambda head: _is_text(head),
    "txt": lambda head: _is_text(head),
}


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # the last character may be cut by the 8 KB window
            head.decode(encoding) if len(head) < 8192 else head[:-4].decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


UNPACKED_FACTOR = 10  # an Office file may unpack to at most 10 × the upload limit


def max_upload_bytes() -> int:
    return int(settings.SHOAL_MAX_UPLOAD_MB) * 1024 * 1024


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_upload(upload, allowed: set[str]) -> str:
    """Return the file's kind (its extension) or raise: 413 ``upload_too_large`` past the limit,
    400 ``upload_type_not_allowed`` for another extension or bytes that do not match it."""
    if upload.size > max_upload_bytes():
        raise PayloadTooLarge(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.SHOAL_MAX_UPLOAD_MB}, code="upload_too_large"
        )
    kind = extension(upload.name)
    if kind not in allowed or kind not in SIGNATURES:
        raise InvalidInput(
            _("This file type is not allowed. Allowed: %(kinds)s.") % {"kinds": ", ".join(sorted(allowed))},
            code="upload_type_not_allowed",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not SIGNATURES[kind](head):
        raise InvalidInput(
            _("The file's content does not match its type (.%(kind)s).") % {"kind": kind},
            code="upload_type_not_allowed",
        )
    if head.startswith(_ZIP):
        _check_zip(upload, kind)
    return kind


def _check_zip(upload, kind: str) -> None:
    """Office files are zip archives: refuse one that unpacks to far more than the upload limit
    (a zip bomb), one that is not a readable archive, and one that carries macros."""
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InvalidInput(
            _("The file's content does not match its type (.%(kind)s).") % {"kind": kind},
            code="upload_type_not_allowed",
        ) from None
    finally:
        upload.seek(0)
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > 10_000 or unpacked > UNPACKED_FACTOR * max_upload_bytes():
        raise PayloadTooLarge(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.SHOAL_MAX_UPLOAD_MB}, code="upload_too_large"
        )
    if any(entry.filename.lower().endswith("vbaproject.bin") for entry in entries):
        raise InvalidInput(
            _("This file type is not allowed. Allowed: %(kinds)s.") % {"kinds": kind}, code="upload_type_not_allowed"
        )


def storage_name(original: str, folder: str = "uploads") -> str:
    """A fresh relative name under MEDIA_ROOT: ``folder/ab/<random>.<ext>``; nothing of the
    client's name but a known extension survives (no ``../``, no odd characters)."""
    kind = extension(original)
    token = secrets.token_hex(16)
    suffix = f".{kind}" if kind in SIGNATURES else ""
    return f"{folder}/{token[:2]}/{token}{suffix}"
