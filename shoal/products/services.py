"""SAL-3 writes: products and their categories. One transaction each; errors from shoal.core.errors."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, InvalidInput, NotFound
from shoal.core.permissions import require
from shoal.core.versioning import versioned_update
from shoal.org.models import User
from shoal.products.models import Product, ProductCategory
from shoal.products.permissions import Permission

PRODUCT_FIELDS = ("code", "name", "spec", "unit", "list_price", "cost", "category", "is_active", "remarks")


def _check_money(data: dict) -> None:
    for field in ("list_price", "cost"):
        value = data.get(field)
        if value is not None and Decimal(value) < 0:
            raise InvalidInput(fields={field: [_("Must not be negative.")]})


def _duplicate_code(code: str) -> InvalidInput:
    return InvalidInput(
        _("Product code %(code)s is already in use.") % {"code": code},
        code="duplicate_code",
        fields={"code": [_("Product code %(code)s is already in use.") % {"code": code}]},
    )


@transaction.atomic
def product_create(*, actor: User, data: dict) -> Product:
    require(actor, Permission.MANAGE_PRODUCTS)
    values = {k: v for k, v in data.items() if k in PRODUCT_FIELDS}
    _check_money(values)
    values["code"] = values["code"].strip()
    if Product.objects.filter(code=values["code"]).exists():
        raise _duplicate_code(values["code"])
    try:
        with transaction.atomic():
            product = Product(created_by=actor, **values)
            product._change_reason = "create"
            product.save()
    except IntegrityError:  # the same code saved a moment ago by someone else
        raise _duplicate_code(values["code"]) from None
    return product


@transaction.atomic
def product_update(*, actor: User, product: Product, version: int | None, data: dict, current=None) -> Product:
    require(actor, Permission.MANAGE_PRODUCTS)
    changes = {k: v for k, v in data.items() if k in PRODUCT_FIELDS}
    _check_money(changes)
    if "code" in changes:
        changes["code"] = changes["code"].strip()
        if Product.objects.filter(code=changes["code"]).exclude(pk=product.pk).exists():
            raise _duplicate_code(changes["code"])
    product._change_reason = "edit"
    try:
        with transaction.atomic():
            return versioned_update(product, version=version, changes=changes, current=current)
    except IntegrityError:
        raise _duplicate_code(changes.get("code", product.code)) from None


def product_set_active(*, actor: User, ids: list[int], active: bool) -> BatchResult:
    """Batch 启用/停用: each id on its own. Inactive products stay on the documents that have them."""
    require(actor, Permission.MANAGE_PRODUCTS)
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        with transaction.atomic():
            product = Product.objects.select_for_update().filter(pk=pk).first()
            if product is None:
                result.fail(pk, NotFound())
                continue
            if product.is_active == active:
                result.ok(pk)
                continue
            Product.objects.filter(pk=pk).update(is_active=active, version=product.version + 1)
            product.refresh_from_db()
            product._change_reason = "activate" if active else "deactivate"
            product.save(update_fields=["updated_at"])  # one history row for the change
            result.ok(pk)
    return result


@transaction.atomic
def category_create(*, actor: User, name: str, parent: ProductCategory | None = None, position: int = 0):
    require(actor, Permission.MANAGE_PRODUCTS)
    name = name.strip()
    if ProductCategory.objects.filter(parent=parent, name=name).exists():
        raise InvalidInput(fields={"name": [_("A category with this name already exists here.")]})
    try:
        with transaction.atomic():
            return ProductCategory.objects.create(name=name, parent=parent, position=position, created_by=actor)
    except IntegrityError:
        raise Conflict(_("A category with this name already exists here."), code="duplicate_name") from None


@transaction.atomic
def category_update(*, actor: User, category: ProductCategory, data: dict) -> ProductCategory:
    require(actor, Permission.MANAGE_PRODUCTS)
    parent = data.get("parent", category.parent)
    if parent is not None:
        node = parent
        while node is not None:  # a category may not move below itself
            if node.pk == category.pk:
                raise InvalidInput(fields={"parent": [_("A category cannot be placed below itself.")]})
            node = node.parent
    for field in ("name", "parent", "position"):
        if field in data:
            setattr(category, field, data[field])
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise InvalidInput(fields={"name": [_("A category with this name already exists here.")]}) from None
    return category


@transaction.atomic
def category_delete(*, actor: User, category: ProductCategory) -> None:
    require(actor, Permission.MANAGE_PRODUCTS)
    if category.children.exists() or category.products.exists():
        raise Conflict(_("The category still holds products or sub-categories."), code="category_in_use")
    category.delete()
