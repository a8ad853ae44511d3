"""SYS-3 backup and restore: one archive under var/backups/ holding the database (SQLite online
backup API, or pg_dump's custom format), the media files and a manifest (time, database kind,
every table's row count and checksum, every file's sha256). Restore checks the archive against its
manifest, replaces the database and the media files, and checks every table again."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump / pg_restore with fixed arguments
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

FORMAT = 1
PREFIX = "shoal-backup-"
SUFFIX = ".tar.gz"
PARTIAL = ".partial"
STALE_SECONDS = 6 * 3600


class BackupError(Exception):
    pass


def backups_dir() -> Path:
    path = Path(getattr(settings, "SHOAL_BACKUP_DIR", settings.VAR_DIR / "backups"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_kind() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# ---------------------------------------------------------------- fingerprints


def _canonical(value) -> str:
    if isinstance(value, bytes | memoryview):
        return "b:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, float):
        return repr(round(value, 9))
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value)


def table_fingerprints(conn=None) -> dict[str, dict]:
    """Every table's row count and a checksum of its rows in primary-key order (or sorted)."""
    conn = conn or connection
    result: dict[str, dict] = {}
    with conn.cursor() as cursor:
        tables = sorted(t.name for t in conn.introspection.get_table_list(cursor) if t.type == "t")
        for table in tables:
            quoted = conn.ops.quote_name(table)
            try:
                pk = conn.introspection.get_primary_key_column(cursor, table)
            except Exception:  # virtual tables (full-text search) have no introspectable key
                pk = None
            order = f" ORDER BY {conn.ops.quote_name(pk)}" if pk else ""
            cursor.execute(f"SELECT * FROM {quoted}{order}")  # noqa: S608 - names from introspection
            digest = hashlib.sha256()
            rows = 0
            lines = []
            while chunk := cursor.fetchmany(2000):
                for row in chunk:
                    line = "\x1f".join(_canonical(v) for v in row)
                    if pk:
                        digest.update(line.encode() + b"\x1e")
                    else:
                        lines.append(line)
                    rows += 1
            for line in sorted(lines):
                digest.update(line.encode() + b"\x1e")
            result[table] = {"rows": rows, "checksum": digest.hexdigest()}
    return result


def _sqlite_file_fingerprints(path: Path) -> dict[str, dict]:
    """Fingerprints of a copied SQLite file, read the way the live database is read."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    copy = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="backup_copy")
    try:
        return table_fingerprints(copy)
    finally:
        copy.close()
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            extra.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- database dumps


def _pg_args() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def pg_tools_check() -> str:
    """pg_dump must exist and be at least the server's major version."""
    tool = shutil.which("pg_dump")
    if tool is None or shutil.which("pg_restore") is None:
        raise BackupError("pg_dump/pg_restore not found: install the PostgreSQL client (postgresql-client)")
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    client_major = int(out.split()[-1].split(".")[0]) if out.split() else 0
    for word in out.replace("(", " ").split():
        if word[:1].isdigit():
            client_major = int(word.split(".")[0])
            break
    server_major = connection.pg_version // 10000
    if client_major < server_major:
        raise BackupError(f"pg_dump {client_major} is older than the server ({server_major}): install a newer client")
    return out.strip()


def _dump_database(target: Path, snapshot: str | None = None) -> str:
    if database_kind() == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # online: writers wait, readers go on
        finally:
            destination.close()
        return "database.sqlite3"
    version = pg_tools_check()
    args, env = _pg_args()
    name = connection.settings_dict["NAME"]
    subprocess.run(  # noqa: S603
        ["pg_dump", *args, "-Fc", "--no-owner", "--no-acl", *(["--snapshot", snapshot] if snapshot else [])]
        + ["-f", str(target), name],
        env=env,
        check=True,
        capture_output=True,
    )
    return f"database.pgdump ({version})"


def _restore_database(kind: str, source: Path) -> None:
    if kind != database_kind():
        raise BackupError(f"this backup holds a {kind} database; Shoal runs on {database_kind()}")
    if kind == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        return
    pg_tools_check()
    args, env = _pg_args()
    name = connection.settings_dict["NAME"]
    for conn in connections.all():
        conn.close()
    result = subprocess.run(  # noqa: S603
        ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "-d", name]
        + [str(source)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------- create / list / restore


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_reserve(*, now: datetime | None = None, by: str = "") -> Path:
    """Choose the archive's name and mark it as running (a ``.partial`` file beside it)."""
    now = now or timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    folder = backups_dir()
    final = folder / f"{PREFIX}{stamp}{SUFFIX}"
    n = 1
    while final.exists() or final.with_name(final.name + PARTIAL).exists():
        n += 1
        final = folder / f"{PREFIX}{stamp}-{n}{SUFFIX}"
    final.with_name(final.name + PARTIAL).write_text(json.dumps({"started_at": now.isoformat(), "by": by}))
    return final


def backup_create(final: Path | None = None, *, now: datetime | None = None, by: str = "") -> Path:
    """Write ``var/backups/shoal-backup-<time>.tar.gz``; returns its path. While it is being written
    a ``.partial`` file of the same name exists (the list shows it as running)."""
    now = now or timezone.now()
    final = final or backup_reserve(now=now, by=by)
    partial = final.with_name(final.name + PARTIAL)
    try:
        with tempfile.TemporaryDirectory(dir=final.parent) as work:
            db_file = Path(work) / "database"
            # The dump and the fingerprints see the same state: SQLite's online backup copies one
            # consistent state, and the fingerprints are taken from that copy; PostgreSQL shares
            # its snapshot with pg_dump.
            if database_kind() == "sqlite":
                tool = _dump_database(db_file)
                fingerprints = _sqlite_file_fingerprints(db_file)
            else:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        cursor.execute("SELECT pg_export_snapshot()")
                        snapshot = cursor.fetchone()[0]
                    tool = _dump_database(db_file, snapshot)
                    fingerprints = table_fingerprints()
            media_root = Path(settings.MEDIA_ROOT)
            media = [
                {"path": str(p.relative_to(media_root)), "size": p.stat().st_size, "sha256": _sha256(p)}
                for p in _media_files()
            ]
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "created_by": by,
                "database": {"kind": database_kind(), "tool": tool, "sha256": _sha256(db_file)},
                "tables": fingerprints,
                "rows": sum(t["rows"] for t in fingerprints.values()),
                "media": media,
            }
            tmp_archive = Path(work) / "archive.tar.gz"
            with tarfile.open(tmp_archive, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname="database")
                for entry in media:
                    tar.add(media_root / entry["path"], arcname=f"media/{entry['path']}")
            os.replace(tmp_archive, final)
            final.chmod(0o600)
    finally:
        partial.unlink(missing_ok=True)
    return final


def read_manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("no manifest.json in the archive")
        return json.loads(member.read())


def backup_list() -> list[dict]:
    folder = backups_dir()
    items = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        try:
            manifest = read_manifest(path)
        except (OSError, tarfile.TarError, ValueError, KeyError, BackupError):
            manifest = None
        items.append(
            {
                "name": path.name,
                "status": "done" if manifest else "damaged",
                "size": path.stat().st_size,
                "created_at": manifest["created_at"] if manifest else None,
                "created_by": manifest.get("created_by", "") if manifest else "",
                "database": manifest["database"]["kind"] if manifest else None,
                "tables": len(manifest["tables"]) if manifest else 0,
                "rows": manifest["rows"] if manifest else 0,
                "media_files": len(manifest["media"]) if manifest else 0,
            }
        )
    for path in folder.glob(f"{PREFIX}*{SUFFIX}{PARTIAL}"):
        try:
            started = json.loads(path.read_text())
            age = timezone.now().timestamp() - path.stat().st_mtime
        except (OSError, ValueError):
            started, age = {}, 0
        items.append(
            {
                "name": path.name.removesuffix(PARTIAL),
                # a worker killed halfway leaves the marker behind: after STALE seconds it failed
                "status": "running" if age < STALE_SECONDS else "failed",
                "size": 0,
                "created_at": started.get("started_at"),
                "created_by": started.get("by", ""),
                "database": database_kind(),
                "tables": 0,
                "rows": 0,
                "media_files": 0,
            }
        )
    return sorted(items, key=lambda item: item["name"], reverse=True)


def backup_path(name: str) -> Path | None:
    """The archive of that name in the backups folder, or None (no paths from outside it)."""
    if not name.startswith(PREFIX) or not name.endswith(SUFFIX) or "/" in name or "\\" in name or ".." in name:
        return None
    path = backups_dir() / name
    return path if path.is_file() else None


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe entry in the archive: {member.name}")
        members.append(member)
    return members


def backup_restore(path: Path) -> dict:
    """Restore the database and the media files from an archive, then compare every table's row
    count and checksum with the manifest. Returns {"tables", "rows", "media_files", "mismatches"}."""
    path = Path(path)
    with tempfile.TemporaryDirectory(dir=backups_dir()) as work:
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(work, members=_safe_members(tar), filter="data")
        work_dir = Path(work)
        manifest = json.loads((work_dir / "manifest.json").read_text())
        db_file = work_dir / "database"
        if _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError("the database file does not match the manifest's checksum")
        for entry in manifest["media"]:
            if _sha256(work_dir / "media" / entry["path"]) != entry["sha256"]:
                raise BackupError(f"media file {entry['path']} does not match the manifest's checksum")
        _restore_database(manifest["database"]["kind"], db_file)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        if (work_dir / "media").exists():
            shutil.copytree(work_dir / "media", media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)
    now = table_fingerprints()
    expected = manifest["tables"]
    mismatches = sorted(table for table in set(expected) | set(now) if expected.get(table) != now.get(table))
    return {
        "tables": len(now),
        "rows": sum(t["rows"] for t in now.values()),
        "media_files": len(manifest["media"]),
        "mismatches": mismatches,
    }
