"""CUS-13 import: the wizard's API (upload → mapping → preview → job) and what it writes."""

import csv
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from openpyxl import Workbook, load_workbook

from shoal.customers import imports
from shoal.customers.models import Customer, CustomerEvent, CustomerSearch, CustomerTag, ImportedRow, Tag
from shoal.customers.tests.factories import CustomerFactory
from shoal.jobs import services as job_services
from shoal.jobs.models import Job, JobStatus
from shoal.org.tests.factories import UserFactory, role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _huey_immediate():
    """Jobs run in-process at commit (Huey immediate mode), as the worker would run them."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


URL = "/api/v1/customers/import/"


@pytest.fixture
def marketing(cast, company):
    return UserFactory(username="wufang", role=role("marketing"), department=company["team_a"])


def gbk_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("gbk")


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str):
    return client.post(URL, {"file": io.BytesIO(content) if False else _file(content, name)}, format="multipart")


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def run_import(client, content: bytes, name: str, django_capture_on_commit_callbacks, **options) -> Job:
    response = upload(client, content, name)
    assert response.status_code == 201, response.content
    draft = response.json()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}{draft['id']}/start/", options, format="json")
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["job"])
    return job


MESSY = [
    ["客户名称", "手机", "联系人", "电话", "标签"],
    ["深圳蓝海贸易有限公司", "１３９１２３４５６７８", "赵经理", "0755-1234567", "重点,华南"],
    [],
    ["", "13800000000", "没有名字", "", ""],
    ["广州红木家具有限公司", "12345", "钱经理", "", ""],
    ["深圳蓝海贸易有限公司", "13912345678", "赵经理", "", ""],
    ["上海星河科技有限公司", "", "孙经理", "021-88886666", "华东"],
    [],
]


def test_marketing_imports_a_messy_gbk_csv_and_gets_an_error_report(
    marketing, client_for, django_capture_on_commit_callbacks
):
    client = client_for(marketing)
    # given a GBK file with blank lines, full-width digits, a missing name, a bad mobile and a duplicate row
    response = upload(client, gbk_csv(MESSY), "客户名单.csv")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["encoding"] == "gb18030"
    assert draft["mapping"] == {"0": "name", "1": "mobile", "2": "contact_name", "3": "phone", "4": "tags"}
    # when previewing
    preview = client.post(f"{URL}{draft['id']}/preview/", {}, format="json").json()
    statuses = {row["row"]: row["status"] for row in preview["rows"]}
    assert statuses == {2: "new", 4: "error", 5: "error", 6: "error", 7: "new"}
    assert any("第 2 行" in e for e in preview["rows"][3]["errors"])
    # and running it
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}{draft['id']}/start/", {}, format="json")
    assert started.status_code == 202
    job = client.get(f"/api/v1/jobs/{started.json()['job']}/").json()
    # then the good rows are in the pool, the bad ones in the report
    assert job["status"] == "done" and job["progress"] == 100
    assert job["result"] == {"created": 2, "updated": 0, "skipped": 0, "failed": 3, "claimed": 0, "rows": 5}
    blue = Customer.objects.get(name="深圳蓝海贸易有限公司")
    assert blue.owner_id is None and blue.mobile == "13912345678" and blue.primary_contact_name == "赵经理"
    assert sorted(blue.tag_links.values_list("tag__name", flat=True)) == ["华南", "重点"]
    assert CustomerSearch.objects.filter(customer=blue, search_text__contains="13912345678").exists()
    assert CustomerEvent.objects.filter(customer=blue, action="create").count() == 1
    report = client.get(f"/api/v1/jobs/{job['id']}/errors/")
    assert report.status_code == 200
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]] == ["4", "5", "6"]
    assert "客户名称" in lines[1][2] and "11" in lines[2][2] and "第 2 行" in lines[3][2]


def test_importing_the_same_file_again_creates_nothing_twice(marketing, client_for, django_capture_on_commit_callbacks):
    client = client_for(marketing)
    run_import(client, gbk_csv(MESSY), "a.csv", django_capture_on_commit_callbacks)
    count = Customer.objects.count()
    # even with "create anyway" by a manager who may force duplicates
    job = run_import(client, gbk_csv(MESSY), "a.csv", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert Customer.objects.count() == count
    assert job.result["created"] == 0 and job.result["skipped"] == 2


def test_an_xlsx_with_chinese_headers_maps_itself_and_imports(
    marketing, client_for, django_capture_on_commit_callbacks
):
    client = client_for(marketing)
    content = xlsx(
        [
            ["公司名称", "手机号码", "客户来源", "行业", "标签"],
            ["杭州云帆网络有限公司", 13700001111, "公司资源", "信息技术", "新"],
        ]
    )
    job = run_import(client, content, "list.xlsx", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    customer = Customer.objects.get(name="杭州云帆网络有限公司")
    assert (customer.mobile, customer.source, customer.industry) == ("13700001111", "company", "it")
    assert Tag.objects.filter(name="新").exists()
    assert not job.error_file  # nothing to report


def test_the_mapping_can_be_changed_and_must_name_the_customer(marketing, client_for):
    client = client_for(marketing)
    draft = upload(client, gbk_csv([["公司", "备用"], ["甲公司", "乙"]]), "m.csv").json()
    bad = client.post(f"{URL}{draft['id']}/preview/", {"mapping": {"1": "mobile"}}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["mapping"]
    good = client.post(f"{URL}{draft['id']}/preview/", {"mapping": {"1": "name"}}, format="json")
    assert good.json()["rows"][0]["values"] == {"name": "乙"}


@pytest.mark.parametrize("policy", ["skip", "update", "create"])
def test_a_duplicate_in_the_database_is_skipped_updated_or_created(
    policy, cast, client_for, django_capture_on_commit_callbacks
):
    manager = cast["manager"]  # department manager: customer.* including force_duplicate
    existing = CustomerFactory(name="深圳蓝海贸易有限公司", owner=cast["owner"], remarks="")
    content = gbk_csv([["客户名称", "备注"], ["蓝海贸易有限公司", "导入的备注"]])
    job = run_import(client_for(manager), content, "d.csv", django_capture_on_commit_callbacks, duplicate_policy=policy)
    job.refresh_from_db()
    existing.refresh_from_db()
    names = Customer.objects.filter(name_key=existing.name_key).count()
    if policy == "skip":
        assert (job.result["skipped"], names, existing.remarks) == (1, 1, "")
    elif policy == "update":
        assert (job.result["updated"], names, existing.remarks) == (1, 1, "导入的备注")
        assert existing.events.filter(action="edit").exists()
    else:
        assert (job.result["created"], names) == (1, 2)


def test_update_never_touches_a_customer_the_importer_cannot_edit(cast, client_for, django_capture_on_commit_callbacks):
    # given a customer of someone outside the manager's department
    other = CustomerFactory(name="华东远方有限公司", owner=cast["outsider"], remarks="原备注")
    content = gbk_csv([["客户名称", "备注"], ["华东远方有限公司", "改掉"]])
    job = run_import(
        client_for(cast["manager"]), content, "u.csv", django_capture_on_commit_callbacks, duplicate_policy="update"
    )
    job.refresh_from_db()
    other.refresh_from_db()
    assert other.remarks == "原备注" and job.result["failed"] == 1


def test_create_anyway_needs_the_force_duplicate_permission(marketing, client_for):
    client = client_for(marketing)
    draft = upload(client, gbk_csv([["客户名称"], ["甲"]]), "f.csv").json()
    response = client.post(f"{URL}{draft['id']}/start/", {"duplicate_policy": "create"}, format="json")
    assert response.status_code == 403


def test_import_and_claim_goes_through_the_pool_rules(cast, client_for, django_capture_on_commit_callbacks):
    from shoal.pools.tests.factories import set_rules

    set_rules(holding=True, holding_limit=2)  # issue 6: at most 2 customers held per rep
    rep = cast["owner"]
    rep.role.permissions = [*rep.role.permissions, "customer.import"]
    rep.role.save()
    CustomerFactory(owner=rep)
    content = gbk_csv([["客户名称"], ["甲一有限公司"], ["乙二有限公司"], ["丙三有限公司"]])
    job = run_import(client_for(rep), content, "c.csv", django_capture_on_commit_callbacks, claim=True)
    job.refresh_from_db()
    assert job.result["created"] == 3 and job.result["claimed"] == 1
    assert Customer.objects.filter(owner=rep).count() == 2
    assert Customer.objects.filter(name="乙二有限公司", owner__isnull=True).exists()
    # the claimed one is claimed like any other: countdown started, history says who claimed it
    claimed = Customer.objects.get(name="甲一有限公司")
    assert claimed.owner_id == rep.pk and claimed.claimed_at is not None
    assert claimed.events.filter(action="claim", actor=rep).count() == 1
    assert job.error_file  # the two left in the pool are reported, with the rule that refused them


def test_a_job_that_stopped_halfway_resumes_without_duplicates(
    marketing, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(marketing)
    rows = [["客户名称"], *[[f"续传测试{i}有限公司"] for i in range(25)]]
    monkeypatch.setattr(imports, "CHUNK", 10)
    calls = {"n": 0}
    real = imports.Importer._write_new

    def flaky(self, chunk):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker died")
        return real(self, chunk)

    monkeypatch.setattr(imports.Importer, "_write_new", flaky)
    job = run_import(client, gbk_csv(rows), "r.csv", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and Customer.objects.count() == 10
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 202
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Customer.objects.count() == 25 and ImportedRow.objects.count() == 25
    assert job.result["created"] == 25 and job.attempts == 2


def test_template_downloads_in_both_formats(marketing, client_for):
    client = client_for(marketing)
    body = b"".join(client.get(f"{URL}template/?format=xlsx").streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.cell(1, 1).value == "客户名称*"
    csv_body = b"".join(client.get(f"{URL}template/?format=csv").streaming_content).decode("utf-8-sig")
    assert csv_body.startswith("客户名称*")


def test_a_rep_without_the_import_permission_gets_403(cast, client_for):
    assert upload(client_for(cast["owner"]), gbk_csv([["客户名称"], ["甲"]]), "x.csv").status_code == 403


def test_someone_elses_import_is_404(marketing, cast, client_for):
    draft = upload(client_for(marketing), gbk_csv([["客户名称"], ["甲"]]), "x.csv").json()
    other = UserFactory(role=role("marketing"))
    assert client_for(other).post(f"{URL}{draft['id']}/preview/", {}, format="json").status_code == 404
    assert client_for(other).get(f"/api/v1/jobs/{draft['id']}/").status_code == 404


# ---------------------------------------------------------------- hostile uploads: 4xx, never 500


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (600 * 1024 * 1024))
    return out.getvalue()


def macro_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["客户名称"], ["甲"]]))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("bomb.xlsx", "bomb", 400, "file_too_complex"),
        ("list.xlsm", "xlsx", 400, "macro_not_allowed"),
        ("list.xlsx", "macro", 400, "macro_not_allowed"),
        ("list.docm", "xlsx", 400, "macro_not_allowed"),
        ("list.xlsx", "text", 400, "type_mismatch"),
        ("list.csv", "binary", 400, "unsupported_type"),
        ("list.xlsx", "broken_zip", 400, "bad_file"),
        ("../../etc/passwd.csv", "csv", 201, None),
        ("list.csv", "empty", 400, "empty_file"),
    ],
)
def test_hostile_imports_are_refused_with_4xx(name, content, status, code, marketing, client_for):
    payload = {
        "bomb": zip_bomb,
        "xlsx": lambda: xlsx([["客户名称"], ["甲"]]),
        "macro": macro_xlsx,
        "text": lambda: "客户名称\n甲\n".encode(),
        "binary": lambda: b"\x00\x01\x02binary",
        "broken_zip": lambda: b"PK\x03\x04" + b"\x00" * 100,
        "csv": lambda: "客户名称\n甲\n".encode(),
        "empty": lambda: b"\n\n",
    }[content]()
    response = upload(client_for(marketing), payload, name)
    assert response.status_code == status, response.content
    if code:
        assert response.json()["error"]["code"] == code
    else:
        job = Job.objects.get(pk=response.json()["id"])
        assert job.input_name == "passwd.csv"
        assert ".." not in job.input_file and job.input_file.startswith("imports/")
        assert default_storage.exists(job.input_file)


def test_an_import_one_byte_over_the_limit_is_413(marketing, client_for, settings):
    settings.SHOAL_IMPORT_MAX_BYTES = 100
    body = ("客户名称\n" + "甲" * 200).encode()[:101]
    response = upload(client_for(marketing), body, "big.csv")
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"
    assert upload(client_for(marketing), body[:100], "ok.csv").status_code != 413


def test_jobs_run_by_the_worker_function(marketing):
    # the Huey task body is the plain service
    job = job_services.job_create(actor=marketing, kind="nonexistent", params={})
    job_services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error
    assert CustomerTag.objects.count() == 0
