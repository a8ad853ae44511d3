"""SAL-3 reads. The catalogue is company-wide: whoever may quote (sales.view) sees every product."""

from django.db.models import Q, QuerySet

from shoal.core.errors import NotFound
from shoal.org.models import User
from shoal.products.models import Product, ProductCategory


def category_subtree_ids(category_id: int) -> list[int]:
    ids, frontier = [category_id], [category_id]
    while frontier:
        frontier = list(ProductCategory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def product_list(*, user: User) -> QuerySet[Product]:
    return Product.objects.select_related("category")


def product_get(*, user: User, pk: int) -> Product:
    product = product_list(user=user).filter(pk=pk).first()
    if product is None:
        raise NotFound()
    return product


def product_search(qs: QuerySet[Product], q: str) -> QuerySet[Product]:
    q = q.strip()
    if not q:
        return qs
    return qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(spec__icontains=q))


def category_list(*, user: User) -> QuerySet[ProductCategory]:
    return ProductCategory.objects.all()


def category_get(*, user: User, pk: int) -> ProductCategory:
    category = category_list(user=user).filter(pk=pk).first()
    if category is None:
        raise NotFound()
    return category
