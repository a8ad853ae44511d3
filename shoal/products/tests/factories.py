from decimal import Decimal

import factory

from shoal.products.models import Product, ProductCategory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory

    name = factory.Sequence(lambda n: f"类别{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"产品{n}")
    spec = "标准型"
    unit = "台"
    list_price = Decimal("100.00")
    cost = Decimal("60.00")
