"""Authorization-matrix entries of the product catalogue (SAL-3): company-wide records."""

from shoal.core.tests.matrix_cases import Case, one, version_of

PRODUCTS_URL = "/api/v1/products"
MANAGE = "sales.manage_products"


def _product(w):
    return w.extra["catalogue"]["product"]


def _category(w):
    return w.extra["catalogue"]["category"]


def _empty_category(w):
    return w.extra["catalogue"]["empty_category"]


def populate(world) -> None:
    from shoal.products.models import Product, ProductCategory

    category = ProductCategory.objects.create(name="矩阵类别")
    world.extra["catalogue"] = {
        "category": category,
        "empty_category": ProductCategory.objects.create(name="矩阵空类别"),
        "product": Product.objects.create(code="M-1", name="矩阵产品", list_price=100, cost=60, category=category),
    }


def _version(w, a, t):
    from shoal.products.models import Product

    return {"version": version_of(w, t, model=Product), "name": "改名"}


TABLE = {
    (f"{PRODUCTS_URL}/", "GET"): [Case(perm="sales.view"), Case(perm="sales.view", body={"is_active": "true"})],
    (f"{PRODUCTS_URL}/", "POST"): [
        Case(perm=MANAGE, body={"code": "M-NEW", "name": "新产品", "list_price": "10.00"}, ok=201)
    ],
    (f"{PRODUCTS_URL}/{{pk}}/", "GET"): [Case(targets=one(_product), perm="sales.view")],
    (f"{PRODUCTS_URL}/{{pk}}/", "PATCH"): [Case(targets=one(_product), perm=MANAGE, body=_version)],
    (f"{PRODUCTS_URL}/set-active/", "POST"): [
        Case(perm=MANAGE, body=lambda w, a, t: {"ids": [_product(w).pk], "active": False})
    ],
    ("/api/v1/product-categories/", "GET"): [Case(perm="sales.view")],
    ("/api/v1/product-categories/", "POST"): [Case(perm=MANAGE, body={"name": "新类别"}, ok=201)],
    ("/api/v1/product-categories/{pk}/", "PATCH"): [Case(targets=one(_category), perm=MANAGE, body={"position": 3})],
    ("/api/v1/product-categories/{pk}/", "DELETE"): [Case(targets=one(_empty_category), perm=MANAGE, ok=204)],
}
