"""Demo activities for `make run` / `make demo`: follow-up records on the reps' customers, plans for
today, overdue and coming days, a week of schedule items (some overdue, some approved by the
manager) and a few visits — written through the services so follow-up times and history are real."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shoal.activities import services
from shoal.activities.models import (
    Channel,
    ContactPlan,
    Interaction,
    ScheduleComment,
    ScheduleItem,
    Visit,
    Weight,
)
from shoal.core.errors import ShoalError
from shoal.customers.models import Customer
from shoal.org.models import User

REPS = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
MANAGERS = {"zhangsan": "chenjing", "lisi": "chenjing", "zhaoliu": "liuyang", "wangwu": "lihua"}
CONTENTS = [
    ("介绍了公司的产品线和成功案例，客户对自动化方案比较感兴趣", "希望降低人工成本", "担心实施周期太长"),
    ("电话确认了上次报价，客户在内部走审批流程", "需要三年维保", "价格比竞品高一些"),
    ("客户反馈试用情况良好，准备扩大采购范围", "增加10个账号", "担心数据迁移"),
    ("与采购经理沟通了合同条款，付款方式待定", "分期付款", "预算要到下季度才批"),
    ("微信发送了产品资料和报价单，客户说周内回复", "详细的技术参数", "售后服务响应速度"),
    ("客户暂时没有需求，约定下个月再联系", "", "今年预算已用完"),
]
NEXT_STEPS = ["下周上门演示", "发送正式报价", "约技术总监面谈", "跟进合同审批", "月底再电话回访", "准备样品"]
PURPOSES = ["回访报价反馈", "确认合同细节", "邀约上门演示", "了解采购计划", "催促付款进度", "节日问候"]
SCHEDULE = [
    ("整理本周客户拜访计划", Weight.MEDIUM),
    ("准备季度销售总结", Weight.HIGH),
    ("参加部门周会", Weight.LOW),
    ("给重点客户准备方案", Weight.HIGH),
    ("更新客户资料", Weight.LOW),
    ("培训：新产品功能", Weight.MEDIUM),
    ("提交差旅报销", Weight.LOW),
    ("与技术部确认交付时间", Weight.MEDIUM),
]
PLACES = ["客户公司会议室", "客户工厂", "客户展厅", "咖啡厅", "客户门店"]


def _at(day_offset: int, hour: int, minute: int = 0):
    local = timezone.localtime()
    day = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return day + timedelta(days=day_offset)


def demo_create() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[*REPS, *MANAGERS.values()])}
    if not any(name in users for name in REPS) or Interaction.objects.exists():
        return
    rng = random.Random(7)
    now = timezone.now()
    for name in REPS:
        rep = users.get(name)
        if rep is None:
            continue
        customers = list(Customer.objects.filter(owner=rep, deleted_at__isnull=True).order_by("id")[:25])
        try:
            with transaction.atomic():
                _rep_activities(rng, rep, customers, now)
                _rep_schedule(rng, rep, users.get(MANAGERS[name]))
        except ShoalError:
            continue  # demo data is best effort; a refused record leaves the rest of the demo intact


def _rep_activities(rng: random.Random, rep: User, customers: list[Customer], now) -> None:
    for index, customer in enumerate(customers):
        contact = customer.contacts.first()
        for _ in range(rng.choice((1, 2, 3))):
            content, needs, concerns = rng.choice(CONTENTS)
            services.interaction_create(
                actor=rep,
                customer=customer,
                data={
                    "channel": rng.choice([Channel.PHONE, Channel.PHONE, Channel.WECHAT, Channel.EMAIL, Channel.OTHER]),
                    "occurred_at": now - timedelta(days=rng.randrange(1, 60), hours=rng.randrange(0, 8)),
                    "contact": contact,
                    "content": content,
                    "needs": needs,
                    "concerns": concerns,
                    "quoted_price": Decimal(rng.randrange(20, 500) * 100) if rng.random() < 0.4 else None,
                    "next_step": rng.choice(NEXT_STEPS),
                },
            )
        # ACT-2: two plans today, two overdue, the rest in the coming days
        if index < 8:
            day = [0, 0, -1, -2, 1, 2, 3, 5][index]
            services.contact_plan_create(
                actor=rep,
                customer=customer,
                data={
                    "planned_at": _at(day, rng.choice((10, 14, 16)), rng.choice((0, 30))),
                    "purpose": rng.choice(PURPOSES),
                    "contact": contact,
                    "channel": Channel.VISIT if index % 4 == 3 else Channel.PHONE,
                    "remind_minutes": 15,
                },
            )
        # ACT-5: a few visits
        if index % 6 == 5:
            services.visit_create(
                actor=rep,
                customer=customer,
                data={
                    "visited_at": now - timedelta(days=rng.randrange(1, 20)),
                    "place": rng.choice(PLACES),
                    "purpose": "产品演示",
                    "outcome": "演示顺利，客户对方案基本认可，需要内部讨论预算",
                    "intent_level_after": rng.choice((1, 2, 3)),
                    "next_step": rng.choice(NEXT_STEPS),
                },
                contacts=[contact] if contact else [],
            )


def _rep_schedule(rng: random.Random, rep: User, manager: User | None) -> None:
    for index, (title, weight) in enumerate(SCHEDULE):
        day = index - 3  # three days back to four ahead: some overdue (red), some done
        start = _at(day, 9 + index % 8)
        item = services.schedule_create(
            actor=rep,
            data={"title": title, "weight": weight, "start_at": start, "end_at": start + timedelta(hours=1)},
        )
        if day < 0 and index % 2 == 0:
            services.schedule_update(actor=rep, item=item, version=item.version, data={"done": True})
        if manager is not None and index == 1:
            services.schedule_comment(actor=manager, item=item, kind="comment", body="总结里加上重点客户的进展")


def demo_delete() -> None:
    ScheduleComment.objects.all().delete()
    ScheduleItem.objects.all().delete()
    Visit.objects.all().delete()
    ContactPlan.objects.all().delete()
    Interaction.objects.all().delete()
