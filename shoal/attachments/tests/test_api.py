"""CUS-14 attachments on customers: upload, list, download, delete — and every hostile upload a 4xx."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from shoal.attachments.models import Attachment
from shoal.customers.models import Share
from shoal.customers.tests.factories import CustomerFactory, seed_dictionary, stages

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def cast(cast):
    stages()
    seed_dictionary()
    return cast


@pytest.fixture
def customer(cast):
    return CustomerFactory(name="附件测试有限公司", owner=cast["owner"])


def url(customer):
    return f"/api/v1/customers/{customer.pk}/attachments/"


def upload(client, customer, content: bytes, name: str):
    return client.post(url(customer), {"file": SimpleUploadedFile(name, content)}, format="multipart")


def docx(extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_owner_uploads_lists_downloads_and_deletes_a_file(cast, customer, client_for):
    client = client_for(cast["owner"])
    # when
    response = upload(client, customer, PDF, "报价单.pdf")
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["content_type"], body["size"]) == ("报价单.pdf", "application/pdf", len(PDF))
    stored = Attachment.objects.get(pk=body["id"]).file
    assert stored.startswith("attachments/customer/") and "报价单" not in stored and default_storage.exists(stored)
    listed = client.get(url(customer)).json()
    assert listed["count"] == 1 and listed["results"][0]["created_by_name"]
    download = client.get(f"/api/v1/attachments/{body['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    assert customer.events.filter(changes__attachment__added="报价单.pdf").exists()
    assert client.delete(f"/api/v1/attachments/{body['id']}/").status_code == 204
    assert client.get(url(customer)).json()["count"] == 0
    assert client.get(f"/api/v1/attachments/{body['id']}/download/").status_code == 404


def test_an_outsider_gets_404_for_list_upload_download_and_delete(cast, customer, client_for):
    attachment = upload(client_for(cast["owner"]), customer, PDF, "a.pdf").json()
    outsider = client_for(cast["outsider"])
    assert outsider.get(url(customer)).status_code == 404
    assert upload(outsider, customer, PDF, "b.pdf").status_code == 404
    assert outsider.get(f"/api/v1/attachments/{attachment['id']}/download/").status_code == 404
    assert outsider.delete(f"/api/v1/attachments/{attachment['id']}/").status_code == 404


def test_a_read_only_sharee_downloads_but_may_not_upload_or_delete(cast, customer, client_for):
    attachment = upload(client_for(cast["owner"]), customer, PDF, "a.pdf").json()
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    sharee = client_for(cast["sharee"])
    assert sharee.get(f"/api/v1/attachments/{attachment['id']}/download/").status_code == 200
    assert upload(sharee, customer, PDF, "b.pdf").status_code == 403
    assert sharee.delete(f"/api/v1/attachments/{attachment['id']}/").status_code == 403


def test_media_files_are_not_served_directly(cast, customer, client_for):
    attachment = upload(client_for(cast["owner"]), customer, PDF, "a.pdf").json()
    stored = Attachment.objects.get(pk=attachment["id"]).file
    response = client_for(cast["owner"]).get(f"/media/{stored}")
    assert response.status_code == 404


def zip_bomb_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (600 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "status", "code"),
    [
        ("合同.docm", lambda: docx(), 400, "macro_not_allowed"),
        ("合同.xlsm", lambda: docx(), 400, "macro_not_allowed"),
        ("合同.docx", lambda: docx({"word/vbaProject.bin": b"macro"}), 400, "macro_not_allowed"),
        ("bomb.docx", zip_bomb_docx, 400, "file_too_complex"),
        ("photo.png", lambda: PDF, 400, "type_mismatch"),
        ("report.pdf", lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", 400, "unsupported_type"),
        ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, 400, "unsupported_type"),
        ("broken.docx", lambda: b"PK\x03\x04" + b"\x00" * 50, 400, "bad_file"),
        ("script.html", lambda: b"<script>alert(1)</script>", 400, "type_mismatch"),
    ],
)
def test_hostile_uploads_are_refused_with_4xx(name, make, status, code, cast, customer, client_for):
    response = upload(client_for(cast["owner"]), customer, make(), name)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("raw", ["../../etc/passwd.png", "..\\..\\windows\\a.png", "a\x00b.png", "....png"])
def test_path_tricks_in_names_are_sanitised(raw, cast, customer, client_for):
    response = upload(client_for(cast["owner"]), customer, PNG, raw)
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert "/" not in attachment.name and "\\" not in attachment.name and ".." not in attachment.name.rstrip(".png")
    assert "\x00" not in attachment.name and attachment.name.endswith(".png")
    assert attachment.file.startswith("attachments/customer/") and ".." not in attachment.file


def test_one_byte_over_the_size_limit_is_413(cast, customer, client_for, settings):
    settings.SHOAL_UPLOAD_MAX_BYTES = len(PDF)
    client = client_for(cast["owner"])
    assert upload(client, customer, PDF, "ok.pdf").status_code == 201
    response = upload(client, customer, PDF + b"x", "big.pdf")
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"


def test_the_list_costs_a_fixed_number_of_queries(cast, customer, client_for, django_assert_max_num_queries):
    client = client_for(cast["owner"])
    for n in range(50):
        upload(client, customer, PNG, f"p{n}.png")
    with django_assert_max_num_queries(12):
        response = client.get(url(customer), {"page_size": 50})
    assert response.json()["count"] == 50
