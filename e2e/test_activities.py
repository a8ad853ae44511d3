"""Sales activities walked in the browser (zh-CN): a rep (zhangsan) logs an interaction on a customer
from its 交往记录 tab, plans the next contact due now, finds it under 我的计划 · 今天 and marks it done
(the prefilled form turns it into an interaction); the rep's manager (chenjing) opens 下属日程, sees
the rep's overdue item in red and approves it (批复) with a comment (ACT-1, ACT-2, ACT-3, ORG-7)."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import manage, shot
from e2e.test_customers import rows, sign_in, wait_loaded


def dialog(page: Page, title: str):
    return page.get_by_role("dialog", name=title)


def field(scope, label: str):
    return scope.locator(".el-form-item").filter(has=scope.page.locator("label", has_text=re.compile(f"^{label}$")))


def test_a_rep_logs_a_follow_up_plans_the_next_and_completes_it(new_page):
    rep = new_page()
    sign_in(rep, "zhangsan")

    # ACT-1: from 我的客户 into a customer and its 交往记录 tab
    rep.goto("/customers/mine")
    wait_loaded(rep)
    customer = rows(rep).first.locator(".name-link").inner_text().strip()
    rows(rep).first.locator(".name-link").click()
    expect(rep.locator(".customer-name")).to_have_text(customer)
    rep.get_by_role("tab", name="交往记录").click()
    wait_loaded(rep)
    before = rows(rep).count()
    rep.get_by_role("button", name="记录跟进").click()
    form = dialog(rep, "记录跟进")
    form.get_by_text("微信", exact=True).click()
    field(form, "沟通内容").locator("textarea").fill("微信沟通了新版报价，客户希望再优惠一些")
    field(form, "客户需求").locator("textarea").fill("采购20套，年底前交付")
    field(form, "报价").locator("input").fill("36000")
    field(form, "客户顾虑").locator("textarea").fill("担心交期")
    field(form, "下一步").locator("input").fill("明天电话确认折扣")
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    wait_loaded(rep)
    expect(rows(rep)).to_have_count(before + 1)
    expect(rows(rep).first).to_contain_text("微信沟通了新版报价")
    expect(rows(rep).first).to_contain_text("¥36,000.00")
    shot(rep, "activities-1-customer-interactions")

    # ACT-2: a plan for this customer, due in a minute
    rep.get_by_role("button", name="新建计划").click()
    plan_form = dialog(rep, "新建计划")
    due = rep.evaluate(
        "() => { const d = new Date(Date.now() + 60000); const p = (n) => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}` }"
    )
    time_input = field(plan_form, "计划时间").locator("input")
    time_input.fill(due)
    time_input.press("Enter")
    field(plan_form, "联系目的").locator("input").fill("电话确认折扣方案")
    plan_form.get_by_role("button", name="保存").click()
    expect(plan_form).to_be_hidden()

    # ACT-2: its reminder (15 minutes before) is due: the periodic job — not the browser — delivers it,
    # and the bell in the top bar shows it
    sent = re.search(r"contact_plan_reminders: (\d+)", manage("shoal_run_jobs", "contact_plan_reminders"))
    assert sent and int(sent.group(1)) >= 1  # ours, and the demo plans' reminders that were due too
    rep.reload()
    bell = rep.locator("[data-test=notification-bell]")
    badge = bell.locator(".el-badge__content")
    expect(badge).to_have_text(re.compile(r"^[1-9]\d*\+?$"))
    unread = badge.inner_text()
    bell.click()
    reminder = rep.locator(".el-popover .item", has_text="电话确认折扣方案")
    expect(reminder).to_contain_text("联系计划：")
    expect(reminder).to_contain_text(customer)
    shot(rep, "activities-1b-plan-reminder")
    reminder.click()
    expect(rep).to_have_url(re.compile(r"/activities/plans\?plan=\d+"))
    # opening it marks it read
    if unread == "1":
        expect(badge).to_be_hidden()
    elif unread.isdigit():
        expect(badge).to_have_text(str(int(unread) - 1))

    # 我的计划 · 今天: the plan is there; 完成 opens the prefilled interaction form
    rep.goto("/activities/plans")
    wait_loaded(rep)
    row = rows(rep).filter(has_text="电话确认折扣方案").first
    expect(row).to_contain_text(customer)
    wait_loaded(rep)
    shot(rep, "activities-2-my-plans-today")
    row.get_by_role("button", name="完成").click()
    done_form = dialog(rep, "完成")
    expect(done_form).to_contain_text("电话确认折扣方案")
    expect(field(done_form, "客户").locator("input")).to_have_value(customer)
    field(done_form, "沟通内容").locator("textarea").fill("客户接受九五折，本周签约")
    shot(rep, "activities-3-complete-plan")
    done_form.get_by_role("button", name="保存").click()
    expect(done_form).to_be_hidden()
    wait_loaded(rep)
    expect(rows(rep).filter(has_text="电话确认折扣方案")).to_have_count(0)
    rep.get_by_role("tab", name="已结束").click()
    wait_loaded(rep)
    expect(rows(rep).filter(has_text="电话确认折扣方案").first).to_contain_text("已完成")

    # the done plan is an interaction now, in 跟进记录
    rep.goto("/activities/interactions")
    wait_loaded(rep)
    expect(rows(rep).filter(has_text="客户接受九五折").first).to_contain_text(customer)
    shot(rep, "activities-4-follow-up-records")


def test_a_manager_sees_a_reps_overdue_item_in_red_and_approves_it(new_page):
    manager = new_page()
    sign_in(manager, "chenjing")
    manager.get_by_role("menuitem", name="销售活动").click()
    manager.get_by_role("menuitem", name="下属日程").click()
    expect(manager).to_have_url(re.compile(r"/activities/team-schedule$"))
    manager.locator("[data-test=person]").click()
    manager.locator(".el-select-dropdown__item:visible", has_text="张三").first.click()
    wait_loaded(manager)
    row = rows(manager).filter(has_text="准备季度销售总结").first
    expect(row).to_contain_text("已过期")
    expect(row.locator(".overdue-text").first).to_be_visible()
    color = row.locator(".overdue-text").first.evaluate("e => getComputedStyle(e).color")
    assert color == "rgb(245, 108, 108)", color  # Element Plus danger red
    shot(manager, "activities-5-team-schedule-overdue")

    row.get_by_role("button", name="准备季度销售总结").click()
    drawer = manager.locator(".el-drawer").filter(has_text="日程详情")
    expect(drawer).to_contain_text("张三")
    expect(drawer).to_contain_text("总结里加上重点客户的进展")  # the demo comment
    drawer.get_by_placeholder("批复意见或提醒内容").fill("同意，周五前交给我")
    drawer.locator("[data-test=approve]").click()
    expect(drawer).to_contain_text("陈静 已批复")
    expect(drawer.locator(".el-timeline")).to_contain_text("同意，周五前交给我")
    expect(drawer.locator("[data-test=approve]")).to_have_count(0)
    shot(manager, "activities-6-approved")

    # the week calendar shows the rep's items too
    manager.keyboard.press("Escape")
    manager.get_by_text("周", exact=True).click()
    expect(manager.locator(".days.week .day")).to_have_count(7)
    shot(manager, "activities-7-team-week")


def test_a_rep_keeps_a_schedule_and_records_a_visit(new_page):
    rep = new_page()
    sign_in(rep, "zhangsan")

    # ACT-3: a new item in 日程安排 (week view by default), then the month view
    rep.goto("/activities/schedule")
    rep.locator("[data-test=new-schedule]").click()
    form = dialog(rep, "新建日程")
    field(form, "事项").locator("input").fill("拜访前准备演示环境")
    form.get_by_text("重要", exact=True).click()
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    expect(rep.locator(".days.week")).to_contain_text("拜访前准备演示环境")
    rep.get_by_text("月", exact=True).click()
    expect(rep.locator(".month")).to_contain_text("拜访前准备演示环境")
    expect(rep.locator(".month .el-loading-mask")).to_have_count(0)
    shot(rep, "activities-8-my-schedule-month")

    # ACT-5: a visit record on one of my customers, with the intent level after it
    rep.goto("/customers/mine")
    wait_loaded(rep)
    customer = rows(rep).first.locator(".name-link").inner_text().strip()
    rep.goto("/activities/visits")
    wait_loaded(rep)
    rep.get_by_role("button", name="出访记录").click()
    visit = dialog(rep, "出访记录")
    picker = field(visit, "客户")
    picker.locator(".el-select__wrapper").click()
    picker.locator("input").fill(customer[:6])
    rep.locator(".el-select-dropdown__item:visible", has_text=customer).first.click()
    field(visit, "出访地点").locator("input").fill("客户总部三楼会议室")
    field(visit, "出访结果").locator("textarea").fill("现场演示顺利，客户决定下周走采购流程")
    field(visit, "出访后意向").locator(".el-select__wrapper").click()
    rep.locator(".el-select-dropdown__item:visible").filter(has_text=re.compile(r"^3 · ")).first.click()
    shot(rep, "activities-9-visit-form")
    visit.get_by_role("button", name="保存").click()
    expect(visit).to_be_hidden()
    wait_loaded(rep)
    row = rows(rep).filter(has_text="现场演示顺利").first
    expect(row).to_contain_text(customer)
    expect(row).to_contain_text("3 考虑成交")
    shot(rep, "activities-10-visits")
