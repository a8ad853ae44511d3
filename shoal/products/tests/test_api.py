import pytest

from shoal.products.models import Product
from shoal.products.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_rep_lists_products_with_filters_sorting_and_paging(cast, client_for):
    office = CategoryFactory(name="办公设备")
    projectors = CategoryFactory(name="投影", parent=office)
    ProductFactory(code="B-1", name="投影仪", category=projectors, list_price=5000)
    ProductFactory(code="A-1", name="打印机", category=office, list_price=2000)
    ProductFactory(code="C-1", name="旧款", is_active=False)
    client = client_for(cast["owner"])
    body = client.get("/api/v1/products/", {"ordering": "-list_price"}).json()
    assert [r["code"] for r in body["results"]][:2] == ["B-1", "A-1"] and body["count"] == 3
    assert body["results"][0]["margin"] == "4940.00"
    assert client.get("/api/v1/products/", {"category": office.pk}).json()["count"] == 2
    assert client.get("/api/v1/products/", {"is_active": "false"}).json()["results"][0]["code"] == "C-1"
    assert client.get("/api/v1/products/", {"q": "投影"}).json()["count"] == 1
    assert client.get("/api/v1/products/", {"page_size": 1, "page": 2}).json()["results"][0]["code"] == "B-1"
    assert client.get("/api/v1/products/", {"category": "x"}).status_code == 400


def test_rep_cannot_create_products_and_manager_can(cast, client_for):
    body = {"code": "P-1", "name": "服务器", "list_price": "12000.00", "cost": "9000.00", "unit": "台"}
    denied = client_for(cast["owner"]).post("/api/v1/products/", body, format="json")
    assert denied.status_code == 403
    created = client_for(cast["manager"]).post("/api/v1/products/", body, format="json")
    assert created.status_code == 201 and created.json()["margin"] == "3000.00"
    again = client_for(cast["manager"]).post("/api/v1/products/", body, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "duplicate_code"


def test_versioned_edit_answers_409_with_the_current_record(cast, client_for):
    product = ProductFactory()
    client = client_for(cast["manager"])
    ok = client.patch(f"/api/v1/products/{product.pk}/", {"version": 1, "list_price": "150.00"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/products/{product.pk}/", {"version": 1, "name": "x"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["current"]["list_price"] == "150.00"
    assert client.patch(f"/api/v1/products/{product.pk}/", {"name": "x"}, format="json").status_code == 400


def test_batch_activate_and_deactivate(cast, client_for):
    a, b = ProductFactory(), ProductFactory()
    client = client_for(cast["manager"])
    answer = client.post("/api/v1/products/set-active/", {"ids": [a.pk, b.pk], "active": False}, format="json")
    assert answer.json() == {"succeeded": [a.pk, b.pk], "failed": []}
    assert Product.objects.filter(is_active=False).count() == 2


def test_categories_are_listed_and_managed(cast, client_for):
    client = client_for(cast["manager"])
    top = client.post("/api/v1/product-categories/", {"name": "办公设备"}, format="json").json()
    child = client.post("/api/v1/product-categories/", {"name": "投影", "parent": top["id"]}, format="json")
    assert child.status_code == 201
    assert len(client_for(cast["owner"]).get("/api/v1/product-categories/").json()) == 2
    assert client.delete(f"/api/v1/product-categories/{top['id']}/").status_code == 409


def test_product_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    category = CategoryFactory()
    for _ in range(50):
        ProductFactory(category=category)
    client = client_for(cast["owner"])
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/products/", {"page_size": 60})
    assert len(response.json()["results"]) == 50
