"""CUS-13 export: the list's own filters and visibility, public fields only from the pool, formula
injection neutralised, a background job above the threshold."""

import csv
import io

import pytest
from openpyxl import load_workbook

from shoal.customers.models import CustomerTag, Tag
from shoal.customers.tests.factories import CustomerFactory
from shoal.jobs.models import Job

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/export/"


@pytest.fixture(autouse=True)
def _huey_immediate():
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_a_rep_exports_my_customers_with_the_lists_filters(cast, client_for):
    owner = cast["owner"]
    mine = CustomerFactory(name="甲方科技有限公司", owner=owner, mobile="13911112222")
    CustomerFactory(name="乙方贸易有限公司", owner=owner)
    CustomerFactory(name="别人的客户有限公司", owner=cast["outsider"], remarks="机密")
    tag = Tag.objects.create(name="重点")
    CustomerTag.objects.create(customer=mine, tag=tag)
    response = client_for(owner).get(URL, {"view": "mine", "format": "csv", "q": "甲方"})
    assert response.status_code == 200, response.content
    rows = read_csv(response)
    assert rows[0][0] == "客户名称"
    assert [r[0] for r in rows[1:]] == ["甲方科技有限公司"]
    header = rows[0]
    assert rows[1][header.index("手机")] == "13911112222" and rows[1][header.index("标签")] == "重点"
    everything = read_csv(client_for(owner).get(URL, {"view": "all", "format": "csv"}))
    assert "别人的客户有限公司" not in {r[0] for r in everything}


def test_export_filters_by_tag(cast, client_for):
    owner = cast["owner"]
    tagged = CustomerFactory(name="有标签有限公司", owner=owner)
    CustomerFactory(name="无标签有限公司", owner=owner)
    tag = Tag.objects.create(name="华南")
    CustomerTag.objects.create(customer=tagged, tag=tag)
    rows = read_csv(client_for(owner).get(URL, {"view": "mine", "format": "csv", "tag": tag.pk}))
    assert [r[0] for r in rows[1:]] == ["有标签有限公司"]
    listed = client_for(owner).get("/api/v1/customers/", {"view": "mine", "tag": tag.pk}).json()
    assert [r["name"] for r in listed["results"]] == ["有标签有限公司"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cells_that_would_run_as_formulas_are_neutralised(fmt, cast, client_for):
    CustomerFactory(name='=HYPERLINK("http://evil","x")', owner=cast["owner"], remarks="+1+1", address="@SUM(A1)")
    CustomerFactory(name="-2+3", owner=cast["owner"], remarks="\tcmd", address="\rx")
    response = client_for(cast["owner"]).get(URL, {"view": "mine", "format": fmt})
    if fmt == "csv":
        rows = read_csv(response)
    else:
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    cells = [cell for row in rows[1:] for cell in row if isinstance(cell, str) and cell]
    assert not [c for c in cells if c[0] in "=+-@\t\r"]
    assert '\'=HYPERLINK("http://evil","x")' in cells and "'+1+1" in cells and "'-2+3" in cells


def test_the_pool_export_has_only_public_fields(cast, client_for):
    CustomerFactory(name="公海客户有限公司", owner=cast["outsider"], mobile="13700009999", remarks="不公开")
    rows = read_csv(client_for(cast["owner"]).get(URL, {"view": "pool", "format": "csv"}))
    text = "\n".join(",".join(r) for r in rows)
    assert "公海客户有限公司" in text
    assert "13700009999" not in text and "不公开" not in text and "手机" not in rows[0]


def test_a_big_export_runs_as_a_job_for_its_owner_only(cast, client_for, settings, django_capture_on_commit_callbacks):
    settings.SHOAL_EXPORT_SYNC_LIMIT = 3
    for n in range(5):
        CustomerFactory(name=f"批量导出{n}有限公司", owner=cast["owner"])
    client = client_for(cast["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL, {"view": "mine", "format": "xlsx"})
    assert response.status_code == 202
    job_id = response.json()["job"]
    job = client.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == "done" and job["result"] == {"rows": 5} and job["has_result_file"]
    file = client.get(f"/api/v1/jobs/{job_id}/result/")
    sheet = load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    assert sheet.max_row == 6
    assert client.get("/api/v1/jobs/").json()["count"] == 1
    other = client_for(cast["colleague"])
    assert other.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert other.get(f"/api/v1/jobs/{job_id}/result/").status_code == 404
    assert other.get("/api/v1/jobs/").json()["count"] == 0
    assert Job.objects.get(pk=job_id).result_file.startswith("jobs/")


def test_export_needs_the_permission_and_a_known_format(cast, client_for, company):
    from shoal.org.tests.factories import UserFactory, role

    technician = UserFactory(role=role("technician"), department=company["team_a"])
    assert client_for(technician).get(URL, {"view": "mine"}).status_code == 403
    assert client_for(cast["owner"]).get(URL, {"view": "mine", "format": "pdf"}).status_code == 400
    assert client_for(cast["owner"]).get(URL, {"view": "deleted", "format": "csv"}).status_code == 400


def test_the_jobs_list_costs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _n in range(50):
        Job.objects.create(kind="customer_export", status="done", created_by=cast["owner"])
    with django_assert_max_num_queries(6):
        response = client_for(cast["owner"]).get("/api/v1/jobs/", {"page_size": 50})
    assert response.json()["count"] == 50
