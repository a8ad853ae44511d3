from decimal import Decimal

from shoal.customers.tests.factories import CustomerFactory
from shoal.orders import services
from shoal.products.tests.factories import ProductFactory


def customer_of(user, **kwargs):
    return CustomerFactory(owner=user, **kwargs)


def quote_for(user, customer=None, products=None, **data):
    customer = customer or customer_of(user)
    products = products or [ProductFactory(list_price=Decimal("100.00"), cost=Decimal("60.00"))]
    lines = [{"product": p.pk, "quantity": Decimal(2)} for p in products]
    return services.quote_create(actor=user, customer_id=customer.pk, data=data, lines=lines)


def order_for(user, customer=None, lines=None, **data):
    customer = customer or customer_of(user)
    if lines is None:
        product = ProductFactory(list_price=Decimal("100.00"), cost=Decimal("60.00"))
        lines = [{"product": product.pk, "quantity": Decimal(10)}]
    return services.order_create(actor=user, customer_id=customer.pk, data=data, lines=lines)
