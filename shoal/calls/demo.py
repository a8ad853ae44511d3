"""Demo call annotations and invalid-number reports for the demo company (written through the
services, so customers' intent levels and follow-up times move as they would)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shoal.calls import services
from shoal.calls.models import CallAnnotation, InvalidPhone, PhoneLease
from shoal.core.errors import ShoalError
from shoal.customers.models import Customer
from shoal.org.models import User

REPS = ["zhangsan", "lisi", "wangwu", "zhaoliu"]

OUTLOOK = ["计划明年扩大产能，开拓华东市场", "今年业务平稳，想增加线上渠道", "正在转型做品牌零售", "准备上新生产线"]
TARGETS = [
    "主要客户是连锁超市和批发商",
    "客户以中小企业为主，分布在长三角",
    "面向年轻消费者，线上占三成",
    "大客户集中在汽车行业",
]
COMPETITION = [
    "同行三家已在做网络推广，自身价格有优势",
    "竞争激烈，靠老客户维持",
    "技术领先但知名度不够",
    "区域内龙头，外地竞争者多",
]
AWARENESS = ["有官网但没有推广", "老板自己会上网找供应商", "觉得网络推广都是骗人的", "已经在做竞价推广，效果一般"]
AWARENESS_CODE = {0: "medium", 1: "strong", 2: "negative", 3: "strong"}


def demo_create() -> None:
    services.talk_scripts_seed()
    rng = random.Random(7)
    now = timezone.now()
    for username in REPS:
        rep = User.objects.filter(username=username).first()
        if rep is None:
            continue
        customers = list(Customer.objects.filter(owner=rep, deleted_at__isnull=True).order_by("id")[:8])
        for n, customer in enumerate(customers):
            k = rng.randrange(4)
            data = {"network_awareness": AWARENESS[k], "awareness_category": AWARENESS_CODE[k]}
            if n % 3 != 2:
                data.update(
                    development_outlook=rng.choice(OUTLOOK),
                    target_customers=rng.choice(TARGETS),
                    competition=rng.choice(COMPETITION),
                    needs_category=rng.choice(["brand", "leads", "sales", "recruit"]),
                )
            data["intent_level"] = rng.choice([0, 1, 1, 2, 2, 3])
            if n % 2 == 0:
                data.update(next_step=rng.choice(["call", "visit", "send_info"]), remind=True)
                data["next_follow_up_at"] = now + timedelta(days=rng.randrange(1, 6), hours=rng.randrange(0, 8))
            try:
                with transaction.atomic():
                    services.annotation_create(
                        actor=rep, customer_id=customer.pk, data=data, now=now - timedelta(days=rng.randrange(1, 20))
                    )
            except ShoalError:
                continue
        numbered = [c for c in customers if c.mobile][:2]
        for customer, reason in zip(numbered, ["empty", "stopped"], strict=False):
            try:
                with transaction.atomic():
                    services.invalid_phone_mark(
                        actor=rep,
                        customer_id=customer.pk,
                        phone=customer.mobile,
                        reason=reason,
                        note="拨打三次均无法接通",
                    )
            except ShoalError:
                continue


def demo_delete() -> None:
    PhoneLease.objects.all().delete()
    InvalidPhone.objects.all().delete()
    CallAnnotation.objects.all().delete()
