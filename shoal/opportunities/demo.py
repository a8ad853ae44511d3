"""Demo opportunities for `make run` / `make demo`: the reps' customers spread over the pipeline,
moved through the services so their history is real."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shoal.customers.models import Customer
from shoal.opportunities import services
from shoal.opportunities.models import Conflict, Opportunity, PipelineStage, StageKind
from shoal.org.models import User

REPS = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
TITLES = ["年度设备采购", "办公系统升级", "仓储管理项目", "门店扩张配套", "生产线改造", "售后服务续约", "集团集采"]
SOURCES = ["老客户介绍", "展会", "官网咨询", "电话拜访", "招标公告"]
NEXT_STEPS = ["上门演示", "发送报价", "约技术交流", "确认预算", "商务谈判"]
COMPETITORS = [
    ("友商科技", "价格低", "交付慢"),
    ("星河软件", "品牌知名", "定制能力弱"),
    ("本地代理", "关系好", "服务不稳定"),
]


def demo_create() -> None:
    if Opportunity.objects.exists():
        return
    stages = list(PipelineStage.objects.filter(is_active=True).order_by("position"))
    open_stages = [s for s in stages if s.kind == StageKind.OPEN]
    won = next((s for s in stages if s.kind == StageKind.WON), None)
    lost = next((s for s in stages if s.kind == StageKind.LOST), None)
    if not open_stages:
        return
    rng = random.Random(2027)
    today = timezone.localdate()
    for rep in User.objects.filter(username__in=REPS).order_by("username"):
        customers = list(Customer.objects.filter(owner=rep, deleted_at__isnull=True).order_by("id")[:6])
        for n, customer in enumerate(customers):
            name, strengths, weaknesses = rng.choice(COMPETITORS)
            opportunity = services.opportunity_create(
                actor=rep,
                customer=customer,
                data={
                    "title": f"{customer.short_name or customer.name[:6]}{rng.choice(TITLES)}",
                    "source": rng.choice(SOURCES),
                    "summary": "客户有明确需求，预算审批中",
                    "expected_amount": Decimal(rng.randrange(20, 500) * 1000),
                    "expected_close_date": today + timedelta(days=rng.randrange(10, 120)),
                    "next_step": rng.choice(NEXT_STEPS),
                    "stage": open_stages[0],
                },
                competitors=[{"name": name, "strengths": strengths, "weaknesses": weaknesses}],
            )
            target = [*open_stages, won, lost][n % (len(open_stages) + 2)]
            if target is None or target.pk == opportunity.stage_id:
                continue
            services.opportunity_update(
                actor=rep,
                opportunity=opportunity,
                version=opportunity.version,
                data={
                    "stage": target,
                    "close_reason": "方案与价格均获认可" if target.kind == StageKind.WON else "预算取消",
                },
            )


def demo_delete() -> None:
    Conflict.objects.all().delete()
    Opportunity.objects.all().delete()
