"""CUS-14: upload, list, download, delete attachments of a registered kind of record.

A kind registers how to find a record the user may see (raising NotFound otherwise) and how to
check that the user may change its attachments (raising Forbidden); optionally how to note the
change in the record's history. The content type comes from the file's bytes (magic numbers),
checked against an allow-list; Office files are opened as zips with the same zip-bomb and macro
checks as imports. Every refusal is a 4xx."""

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.attachments.models import Attachment
from shoal.core.errors import NotFound
from shoal.jobs.services import file_store
from shoal.jobs.spreadsheets import OLE_MAGIC, ZIP_MAGIC, UploadRejected, check_size, macro_extension, zip_check
from shoal.org.models import User


@dataclass(frozen=True)
class Kind:
    get: Callable[[User, int], object]  # the record if visible, else raise NotFound
    check_edit: Callable[[User, object], None]  # raise Forbidden unless attachments may change
    on_change: Callable[[User, object, str, str], None] | None = None  # (actor, record, "added"|"removed", name)


KINDS: dict[str, Kind] = {}


def register_kind(name: str, kind: Kind) -> None:
    KINDS[name] = kind


# Allowed types: content type → the extensions a file of that type may carry.
ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "text/plain": (".txt", ".csv", ".md"),
}
_OOXML = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")


def sanitise_name(raw: str) -> str:
    """The last path part only (no ``../``), printable, no reserved characters, at most 150 chars."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE.sub("_", text).strip(" ")
    path = PurePath(text or "file")
    suffix = path.suffix[:10] if path.suffix[1:].isalnum() else ""
    stem = (text[: -len(path.suffix)] if suffix else text).strip(" .")[:140]
    return f"{stem or 'file'}{suffix}"


def sniff(fileobj, name: str) -> str:
    """The content type from the bytes, if allowed and consistent with the name; else 400."""
    if macro_extension(name):
        raise UploadRejected(_("Files with macros are not accepted."), code="macro_not_allowed")
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    suffix = PurePath(name).suffix.lower()
    found = None
    if head.startswith(b"%PDF-"):
        found = "application/pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = "image/png"
    elif head.startswith(b"\xff\xd8\xff"):
        found = "image/jpeg"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        found = "image/gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found = "image/webp"
    elif head.startswith(ZIP_MAGIC):
        archive = zip_check(fileobj, max_unpacked=settings.SHOAL_IMPORT_MAX_UNPACKED_BYTES)
        names = {n.lower() for n in archive.namelist()}
        fileobj.seek(0)
        found = next((kind for part, kind in _OOXML.items() if part in names), None)
    elif head.startswith(OLE_MAGIC):
        raise UploadRejected(
            _("Old Office files (.doc, .xls) are not accepted; save them as .docx or .xlsx."), code="unsupported_type"
        )
    elif b"\x00" not in head:
        try:
            head.decode("utf-8")
            found = "text/plain"
        except UnicodeDecodeError:
            try:
                head.decode("gb18030")
                found = "text/plain"
            except UnicodeDecodeError:
                found = None
    if found is None:
        raise UploadRejected(_("This type of file is not accepted."), code="unsupported_type")
    if suffix not in ALLOWED[found]:
        raise UploadRejected(_("The file's content does not match its name."), code="type_mismatch")
    return found


def _kind(target_kind: str) -> Kind:
    kind = KINDS.get(target_kind)
    if kind is None:
        raise NotFound()
    return kind


@transaction.atomic
def attachment_upload(
    *, actor: User, target_kind: str, target_id: int, fileobj, filename: str, size: int
) -> Attachment:
    kind = _kind(target_kind)
    record = kind.get(actor, target_id)
    kind.check_edit(actor, record)
    check_size(size, settings.SHOAL_UPLOAD_MAX_BYTES)
    name = sanitise_name(filename)
    content_type = sniff(fileobj, name)
    digest = hashlib.sha256()
    fileobj.seek(0)
    for block in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(block)
    fileobj.seek(0)
    stored = file_store(f"attachments/{target_kind}", fileobj, name)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                target_kind=target_kind,
                target_id=target_id,
                name=name,
                file=stored,
                size=size,
                content_type=content_type,
                sha256=digest.hexdigest(),
                created_by=actor,
            )
            if kind.on_change:
                kind.on_change(actor, record, "added", name)
    except Exception:
        default_storage.delete(stored)  # no row, no file
        raise
    return attachment


def attachment_get(*, actor: User, pk: int) -> tuple[Attachment, object]:
    """The attachment and its record, if the record is visible to ``actor`` (else 404)."""
    attachment = Attachment.objects.filter(pk=pk, deleted_at__isnull=True).select_related("created_by").first()
    if attachment is None:
        raise NotFound()
    record = _kind(attachment.target_kind).get(actor, attachment.target_id)
    return attachment, record


@transaction.atomic
def attachment_delete(*, actor: User, pk: int) -> None:
    attachment, record = attachment_get(actor=actor, pk=pk)
    kind = _kind(attachment.target_kind)
    kind.check_edit(actor, record)
    done = Attachment.objects.filter(pk=attachment.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )
    if not done:
        raise NotFound()
    if kind.on_change:
        kind.on_change(actor, record, "removed", attachment.name)
