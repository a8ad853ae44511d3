from decimal import Decimal

import pytest

from shoal.core.errors import Forbidden, InvalidInput, StaleVersion
from shoal.products import services
from shoal.products.models import Product
from shoal.products.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_manager_creates_a_product_and_its_history_starts(cast):
    product = services.product_create(
        actor=cast["manager"],
        data={"code": " A-100 ", "name": "投影仪", "spec": "X1", "unit": "台", "list_price": Decimal("3999")},
    )
    assert product.code == "A-100" and product.version == 1
    assert product.history.count() == 1


def test_rep_may_not_maintain_the_catalogue(cast):
    with pytest.raises(Forbidden):
        services.product_create(actor=cast["owner"], data={"code": "A", "name": "x", "list_price": 1})


def test_codes_are_unique(cast):
    ProductFactory(code="DUP")
    with pytest.raises(InvalidInput) as error:
        services.product_create(actor=cast["manager"], data={"code": "DUP", "name": "x", "list_price": 1})
    assert error.value.code == "duplicate_code" and "code" in error.value.fields


def test_negative_money_is_refused(cast):
    with pytest.raises(InvalidInput):
        services.product_create(actor=cast["manager"], data={"code": "N", "name": "x", "list_price": -1})


def test_edit_with_a_stale_version_is_refused(cast):
    product = ProductFactory()
    services.product_update(actor=cast["manager"], product=product, version=1, data={"name": "新名"})
    with pytest.raises(StaleVersion):
        services.product_update(actor=cast["manager"], product=Product.objects.get(pk=product.pk), version=1, data={})
    assert Product.objects.get(pk=product.pk).version == 2


def test_batch_deactivate_settles_each_id(cast):
    a, b = ProductFactory(), ProductFactory()
    result = services.product_set_active(actor=cast["manager"], ids=[a.pk, b.pk, 999999], active=False)
    assert result.succeeded == [a.pk, b.pk]
    assert [f["code"] for f in result.failed] == ["not_found"]
    assert not Product.objects.filter(pk__in=[a.pk, b.pk], is_active=True).exists()
    assert Product.objects.get(pk=a.pk).history.first().history_change_reason == "deactivate"


def test_category_cannot_move_below_itself_nor_be_deleted_while_used(cast):
    top = CategoryFactory(name="办公设备")
    child = CategoryFactory(name="投影", parent=top)
    with pytest.raises(InvalidInput):
        services.category_update(actor=cast["manager"], category=top, data={"parent": child})
    ProductFactory(category=child)
    from shoal.core.errors import Conflict

    with pytest.raises(Conflict):
        services.category_delete(actor=cast["manager"], category=child)
