"""SYS-3: a backup restores into a fresh database with every table's row count and checksum equal,
and the media files back; on SQLite and on PostgreSQL (whichever the suite runs on)."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from shoal.backups import services
from shoal.customers.models import Customer
from shoal.customers.tests.factories import CustomerFactory
from shoal.org.models import User


@pytest.fixture
def backups(settings, tmp_path):
    settings.SHOAL_BACKUP_DIR = tmp_path / "backups"
    return settings.SHOAL_BACKUP_DIR


def _seed(cast):
    for n in range(12):
        CustomerFactory(name=f"备份测试客户{n}", owner=cast["owner"] if n % 2 else None, created_by=cast["owner"])


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_equal_tables_and_media(settings, backups, cast):
    _seed(cast)
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "合同.pdf").write_bytes(b"%PDF-1.4 contract")
    before = services.table_fingerprints()
    assert before["customers_customer"]["rows"] == 12

    archive = services.backup_create(by="test")
    assert archive.parent == backups and archive.name.startswith("shoal-backup-")
    manifest = services.read_manifest(archive)
    assert manifest["database"]["kind"] == services.database_kind()
    assert manifest["tables"] == before
    assert manifest["rows"] == sum(t["rows"] for t in before.values())
    assert [m["path"] for m in manifest["media"]] == ["uploads/合同.pdf"]

    # a fresh database: every row of every Shoal table gone, the media replaced
    call_command("flush", "--no-input", verbosity=0)
    assert Customer.objects.count() == 0 and User.objects.count() == 0
    (settings.MEDIA_ROOT / "uploads" / "合同.pdf").write_bytes(b"changed")
    (settings.MEDIA_ROOT / "stray.txt").write_text("not in the backup")

    report = services.backup_restore(archive)
    assert report["mismatches"] == []
    assert services.table_fingerprints() == before
    assert Customer.objects.filter(name__startswith="备份测试客户").count() == 12
    assert (settings.MEDIA_ROOT / "uploads" / "合同.pdf").read_bytes() == b"%PDF-1.4 contract"
    assert not (settings.MEDIA_ROOT / "stray.txt").exists()
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_and_restore_with_confirmation(backups, cast, capsys, monkeypatch):
    _seed(cast)
    call_command("shoal_backup")
    archive = next(backups.glob("shoal-backup-*.tar.gz"))
    assert "rows" in capsys.readouterr().out
    Customer.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(Exception, match="cancelled"):
        call_command("shoal_restore", str(archive))
    assert Customer.objects.count() == 0
    call_command("shoal_restore", str(archive), "--yes")
    assert "restored and verified" in capsys.readouterr().out
    assert Customer.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused(backups, cast):
    _seed(cast)
    archive = services.backup_create()
    # rewrite the archive with one changed byte in the database file
    members = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            members[member.name] = tar.extractfile(member).read()
    data = bytearray(members["database"])
    data[-10] ^= 0xFF
    members["database"] = bytes(data)
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    with pytest.raises(services.BackupError, match="checksum"):
        services.backup_restore(archive)
    assert Customer.objects.count() == 12


def test_archives_with_unsafe_paths_are_refused(backups, tmp_path):
    archive = backups / "shoal-backup-evil.tar.gz"
    backups.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in [("manifest.json", b"{}"), ("../escape.txt", b"x")]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    with pytest.raises(services.BackupError, match="unsafe"):
        services.backup_restore(archive)
    assert not (backups.parent / "escape.txt").exists()


# ---------------------------------------------------------------- API


@pytest.mark.django_db(transaction=True)
def test_admin_creates_lists_inspects_and_downloads_a_backup(backups, cast, client_for, monkeypatch):
    from huey.contrib.djhuey import HUEY

    monkeypatch.setattr(HUEY, "immediate", True)
    _seed(cast)
    admin = client_for(cast["admin"])
    created = admin.post("/api/v1/backups/")
    assert created.status_code == 202
    name = created.json()["name"]
    listed = admin.get("/api/v1/backups/").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert row["name"] == name and row["status"] == "done" and row["rows"] > 0
    assert row["database"] == services.database_kind()
    detail = admin.get(f"/api/v1/backups/{name}/").json()
    assert {
        k: v
        for k, v in next(t for t in detail["table_list"] if t["table"] == "customers_customer").items()
        if k != "checksum"
    } == {"table": "customers_customer", "rows": 12}
    assert detail["restore_command"] == f"make restore FILE=var/backups/{name}"
    download = admin.get(f"/api/v1/backups/{name}/download/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
        assert json.loads(tar.extractfile("manifest.json").read())["rows"] == row["rows"]
    assert admin.get("/api/v1/backups/shoal-backup-nope.tar.gz/").status_code == 404
    assert admin.get("/api/v1/backups/..%2Fsecret_key/download/").status_code == 404


def test_only_holders_of_system_backup_reach_backups(db, cast, client_for, backups):
    for person in ("owner", "manager"):
        client = client_for(cast[person])
        assert client.get("/api/v1/backups/").status_code == 403
        assert client.post("/api/v1/backups/").status_code == 403
    assert not list(backups.glob("*")) if backups.exists() else True


def test_a_backup_left_running_by_a_killed_worker_shows_as_failed(backups, db, settings):
    import os
    import time

    final = services.backup_reserve(by="x")
    marker = final.with_name(final.name + services.PARTIAL)
    assert services.backup_list()[0]["status"] == "running"
    old = time.time() - services.STALE_SECONDS - 10
    os.utime(marker, (old, old))
    assert services.backup_list()[0]["status"] == "failed"
