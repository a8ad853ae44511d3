"""Demo tags (标签) on some of the demo customers, so the tag filter and the detail header show
something on a fresh `make run`."""

import random

from shoal.customers.models import Customer, CustomerTag, Tag

TAGS = [("重点客户", "#F56C6C"), ("展会线索", "#E6A23C"), ("老客户转介绍", "#67C23A"), ("华东", "#409EFF")]


def demo_create() -> None:
    rng = random.Random(5)
    tags = [Tag.objects.get_or_create(name=name, defaults={"color": color})[0] for name, color in TAGS]
    ids = list(Customer.objects.filter(deleted_at__isnull=True).order_by("id").values_list("id", flat=True)[:300])
    links = [CustomerTag(customer_id=pk, tag=tag) for pk in ids for tag in tags if rng.random() < 0.12]
    CustomerTag.objects.bulk_create(links, ignore_conflicts=True)


def demo_delete() -> None:
    Tag.objects.filter(name__in=[name for name, _color in TAGS]).delete()
