"""Demo customers for `make run` (first run) and `make demo`: ~300 customers spread over the demo
reps and the pool, with contacts, shares, stages and follow-ups — created through the services so
their history and search index are real."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shoal.core.errors import ShoalError
from shoal.customers import services
from shoal.customers.models import Customer, Stage
from shoal.org.models import User

BRANDS = [
    "华信",
    "中科",
    "恒通",
    "金桥",
    "银河",
    "星辰",
    "蓝海",
    "东方",
    "长城",
    "鼎盛",
    "瑞丰",
    "泰和",
    "宏远",
    "嘉禾",
    "永安",
    "博雅",
    "志诚",
    "汇通",
    "广源",
    "宝利",
    "富康",
    "佳乐",
    "明珠",
    "锦绣",
    "龙腾",
    "凤翔",
    "鹏飞",
    "德润",
    "荣华",
    "安泰",
    "润发",
    "欣悦",
    "云端",
    "智慧",
    "启航",
    "远景",
    "晨曦",
    "朝阳",
    "卓越",
    "精工",
    "新元",
    "天成",
    "海纳",
    "万邦",
]
WORDS = [
    "科技",
    "贸易",
    "电子",
    "机械",
    "建材",
    "食品",
    "物流",
    "医药",
    "化工",
    "服装",
    "软件",
    "信息",
    "文化",
    "传媒",
    "环保",
    "能源",
    "教育",
    "咨询",
    "家居",
    "汽车",
]
SUFFIXES = ["有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
CITIES = [
    ("上海", "310000", "310100", "310115", "021"),
    ("杭州", "330000", "330100", "330106", "0571"),
    ("南京", "320000", "320100", "320106", "025"),
    ("广州", "440000", "440100", "440106", "020"),
    ("深圳", "440000", "440300", "440305", "0755"),
    ("北京", "110000", "110100", "110105", "010"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国志红玉文斌辉鹏飞宇浩"
TITLES = ["总经理", "采购经理", "技术总监", "财务主管", "行政主管", "销售总监", "项目经理"]
REMARKS = ["年底有采购计划", "对价格敏感", "老客户介绍", "需要上门演示", "预算已批", ""]

REPS = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
MANAGERS = ["chenjing", "liuyang", "lihua", "zhaoqiang", "wangzong"]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def demo_create(count: int = 300) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[*REPS, *MANAGERS])}
    reps = [users[u] for u in REPS if u in users]
    creator = users.get("wangzong")
    if not reps or creator is None or Customer.objects.exists():
        return
    rng = random.Random(2026)
    stages = list(Stage.objects.filter(is_active=True).order_by("position"))
    now = timezone.now()
    made = 0
    attempts = 0
    while made < count and attempts < count * 3:
        attempts += 1
        city = rng.choice(CITIES)
        brand, word = rng.choice(BRANDS), rng.choice(WORDS)
        prefix = city[0] + "市" if rng.random() < 0.5 else ""
        owner = rng.choice(reps) if rng.random() < 0.65 else None
        contacts = [
            {"name": _person(rng), "title": rng.choice(TITLES), "mobile": _mobile(rng)}
            for _ in range(rng.choice((0, 1, 1, 2, 3)))
        ]
        data = {
            "name": f"{prefix}{brand}{word}{rng.choice(SUFFIXES)}",
            "short_name": brand + word,
            "category": rng.choice(["enterprise", "enterprise", "government", "agent"]),
            "industry": rng.choice(["it", "manufacturing", "retail", "finance", "education", "logistics"]),
            "level": rng.choice(["a", "b", "c"]),
            "source": rng.choice(["system", "self_public", "self_social", "referral", "company", "csc"]),
            "stage": rng.choice(stages[:3]) if stages else None,
            "intent_level": rng.choice([None, -1, 0, 1, 2, 3]),
            "province": city[1],
            "city": city[2],
            "district": city[3],
            "address": f"{city[0]}市{rng.choice(BRANDS)}路{rng.randrange(1, 500)}号",
            "phone": f"{city[4]}-{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else "",
            "mobile": _mobile(rng) if rng.random() < 0.7 else "",
            "remarks": rng.choice(REMARKS),
        }
        try:
            with transaction.atomic():
                customer = services.customer_create(
                    actor=owner or creator, data=data, contacts=contacts, claim=owner is not None
                )
                if owner and rng.random() < 0.25:
                    colleague = rng.choice([r for r in reps if r != owner])
                    services.customer_share(actor=owner, ids=[customer.pk], users=[colleague.pk])
                if owner and rng.random() < 0.6:
                    at = now - timedelta(days=rng.randrange(0, 80))
                    services.customer_follow_up_record(actor=owner, customer=customer, at=at)
        except ShoalError:
            continue  # a generated name collided with an earlier one: the duplicate check refused it
        made += 1


def demo_delete() -> None:
    """`make demo` resets everything: customers are demo data too (their owners are about to go)."""
    Customer.objects.all().delete()
