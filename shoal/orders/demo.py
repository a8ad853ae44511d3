"""Demo quotes and orders on the demo reps' customers: drafts, sent, accepted and converted quotes,
orders with discounts and gifts, partly shipped and partly paid — through the services."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shoal.customers.models import Customer
from shoal.orders import services
from shoal.orders.models import Order, Quote
from shoal.org.models import User
from shoal.products.models import Product

REPS = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
TITLES = ["会议室设备方案", "办公打印整体方案", "新办公室采购", "年度耗材采购", "培训室投影方案"]


def _lines(rng: random.Random, products: list[Product], gifts: list[Product]) -> list[dict]:
    lines = []
    for product in rng.sample(products, rng.randint(1, 3)):
        line = {"product": product.pk, "quantity": Decimal(rng.choice([1, 2, 3, 5, 10]))}
        if rng.random() < 0.4:
            line["discount_rate"] = Decimal(rng.choice([5, 8, 10]))
        lines.append(line)
    if rng.random() < 0.5:
        lines.append({"product": rng.choice(gifts).pk, "quantity": Decimal(rng.choice([1, 2])), "is_gift": True})
    return lines


@transaction.atomic
def demo_create() -> None:
    if Quote.objects.exists() or Order.objects.exists():
        return
    products = list(Product.objects.filter(is_active=True).exclude(code__in=["XH-HDMI", "XH-K10"]))
    gifts = list(Product.objects.filter(code__in=["XH-HDMI", "XH-K10", "XH-TRAIN"]))
    if not products or not gifts:
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    for username in REPS:
        rep = User.objects.filter(username=username).first()
        if rep is None:
            continue
        customers = list(Customer.objects.filter(owner=rep, deleted_at__isnull=True).order_by("id")[:4])
        for index, customer in enumerate(customers):
            contact = customer.primary_contact_name
            quote = services.quote_create(
                actor=rep,
                customer_id=customer.pk,
                data={
                    "title": rng.choice(TITLES),
                    "contact_name": contact,
                    "quote_date": today - timedelta(days=20 - index * 3),
                    "valid_until": today + timedelta(days=10 + index * 5),
                    "terms": "含税价；款到发货；市内免费送货安装。",
                },
                lines=_lines(rng, products, gifts),
            )
            if index == 0:
                continue  # stays a draft
            services.quote_set_status(actor=rep, ids=[quote.pk], verb="send")
            if index == 1:
                continue  # sent, waiting for the customer
            services.quote_set_status(actor=rep, ids=[quote.pk], verb="accept")
            order = services.quote_convert(actor=rep, quote=quote)
            if index == 3:
                # a direct order too, with a discounted line and a gift, partly shipped and paid
                order = services.order_create(
                    actor=rep,
                    customer_id=customer.pk,
                    data={"contact_name": contact, "delivery_address": customer.address},
                    lines=[
                        {"product": products[0].pk, "quantity": Decimal(4), "discount_amount": Decimal("200.00")},
                        {"product": gifts[0].pk, "quantity": Decimal(4), "is_gift": True},
                    ],
                )
            first = order.lines.order_by("position").first()
            services.shipment_record(
                actor=rep,
                order=order,
                shipped_on=today - timedelta(days=2),
                lines=[{"order_line": first.pk, "quantity": max(first.quantity // 2, Decimal(1))}],
                tracking_number=f"SF{rng.randrange(10**9, 10**10)}",
            )
            order.refresh_from_db()
            services.receipt_record(
                actor=rep,
                order=order,
                amount=(order.total / 2).quantize(Decimal("0.01")),
                received_on=today - timedelta(days=1),
                method="银行转账",
            )


def demo_delete() -> None:
    from shoal.orders.models import DocumentCounter, Receipt, Shipment

    Receipt.objects.all().delete()
    Shipment.objects.all().delete()
    Order.history.all().delete()
    Quote.history.all().delete()
    Order.objects.all().delete()
    Quote.objects.all().delete()
    DocumentCounter.objects.all().delete()
