"""Demo work logs, sign-ins, comments and help requests of the demo company (ORG-6, ACT-7)."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from shoal.org.models import User
from shoal.teamwork import services
from shoal.teamwork.models import HelpMessage, HelpRequest, SignIn, WorkLog, WorkLogComment

PEOPLE = ["zhangsan", "lisi", "wangwu", "zhaoliu", "chenjing", "liuyang"]
CONTENT = [
    "上午电话跟进12个客户，其中2个有意向，约了下周拜访。下午整理报价单。",
    "拜访客户两家，演示了产品，对方对价格比较敏感，需要申请优惠。",
    "整理客户资料，清理无效号码5个；参加部门周会。",
    "跟进合同审批流程，催收一笔回款。",
    "电话申领20个号码，有效沟通8个，1个进入评估阶段。",
]
PLANS = ["明天回访意向客户，准备演示材料", "继续电话开发新客户", "上门拜访并争取签约", "整理本周工作总结"]


def demo_create() -> None:
    rng = random.Random(11)
    users = {u.username: u for u in User.objects.filter(username__in=[*PEOPLE, "lihua", "zhaoqiang"])}
    today = timezone.localdate()
    for username in PEOPLE:
        user = users.get(username)
        if user is None:
            continue
        for back in range(1, 22):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            kind = "work"
            if rng.random() < 0.08:
                kind = "leave"
            elif rng.random() < 0.1:
                kind = "business_trip"
            if kind == "work":
                at = timezone.make_aware(datetime.combine(day, time(8, rng.randrange(30, 59))))
                services.sign_in_record(user=user, at=at)
            if rng.random() < 0.85 or kind != "work":
                log = WorkLog.objects.create(
                    user=user,
                    day=day,
                    day_type=kind,
                    content=rng.choice(CONTENT)
                    if kind == "work"
                    else ("事假一天" if kind == "leave" else "赴杭州拜访客户"),
                    plan=rng.choice(PLANS),
                    created_by=user,
                )
                if username in {"zhangsan", "lisi"} and rng.random() < 0.4 and "chenjing" in users:
                    services.work_log_comment_add(actor=users["chenjing"], log=log, body="收到，注意跟进意向客户。")
    if {"zhangsan", "lisi", "chenjing"} <= users.keys():
        answered = services.help_request_create(
            actor=users["lisi"], subject="客户要求月结，能否申请？", body="华信科技要求改为月结30天，金额约8万。"
        )
        services.help_message_add(actor=users["chenjing"], request=answered, body="可以，先走合同评审，我来批。")
        services.help_request_create(
            actor=users["zhangsan"],
            subject="大客户压价20%，怎么谈？",
            body="客户说竞争对手报价便宜20%，要求我们跟价，否则不签。",
            deal="年度推广套餐",
        )


def demo_delete() -> None:
    HelpMessage.objects.all().delete()
    HelpRequest.objects.all().delete()
    WorkLogComment.objects.all().delete()
    WorkLog.objects.all().delete()
    SignIn.objects.all().delete()
