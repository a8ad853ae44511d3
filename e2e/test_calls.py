"""ACT-4/6/7 and ORG-6 in the browser (zh-CN): a rep (zhangsan) requests numbers from the pool,
opens the call page for one, is stopped by the seed 003 §1.1.2 rule (annotations without their
promotion-needs category), fixes it and submits; reports another number invalid; writes today's
work log. The manager (chenjing) comments on that log and answers the rep's help request."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import shot
from e2e.test_customers import sign_in


def lease_rows(page: Page):
    return page.locator(".pt-table .el-table__body-wrapper tr.el-table__row")


def test_rep_calls_annotates_reports_and_logs_and_the_manager_answers(new_page):
    rep = new_page()
    sign_in(rep, "zhangsan")

    # 电话申领: five numbers of the pool for today
    rep.goto("/calls/list")
    expect(rep.get_by_text("今天还没有申领号码")).to_be_visible()
    rep.locator("[data-test=lease-count] input").fill("5")
    rep.locator("[data-test=lease-request]").click()
    expect(rep.get_by_text("已申领 5 个号码")).to_be_visible()
    expect(lease_rows(rep)).to_have_count(5)
    expect(rep.get_by_text("今日额度 5/30")).to_be_visible()
    shot(rep, "calls-01-leased-numbers")
    first_name = lease_rows(rep).nth(0).locator(".name-link").inner_text().strip()
    second_name = lease_rows(rep).nth(1).locator(".name-link").inner_text().strip()

    # the call page of the first number
    lease_rows(rep).nth(0).locator("[data-test=lease-call]").click()
    expect(rep).to_have_url(re.compile(r"/calls/customer/\d+$"))
    expect(rep.locator("[data-test=base-info]")).to_contain_text(first_name)
    expect(rep.locator("[data-test=base-info]")).to_contain_text("今日申领的号码")
    rep.locator("[data-test=development_outlook]").fill("计划明年扩大产能，开拓华东市场")
    rep.locator("[data-test=target_customers]").fill("主要客户是连锁超市和批发商")
    rep.locator("[data-test=competition]").fill("同行三家已在做网络推广，自身价格有优势")
    rep.locator("[data-test=annotation-submit]").click()
    rule = "请选择客户推广需求分类：填写前三项批注后需选择推广需求分类才能提交。"
    expect(rep.locator(".el-form-item__error", has_text=rule)).to_be_visible()
    rep.locator(".page-header").scroll_into_view_if_needed()
    shot(rep, "calls-02-rule-refuses")

    # fix it: the category, then the talk scripts of that category show on the right
    rep.locator("[data-test=needs_category] .el-radio-button", has_text="获取客户/询盘需求").click()
    expect(rep.locator(".el-form-item__error", has_text=rule)).to_have_count(1)  # shown until the next submit
    expect(rep.locator("[data-test=scripts]")).to_contain_text("询盘获取引导")
    rep.locator("[data-test=network_awareness]").fill("有官网但没有推广")
    rep.locator("[data-test=awareness_category] .el-radio-button", has_text="有一定网络意识").click()
    rep.locator("[data-test=intent_level] .el-radio-button", has_text="2 评估产品").click()
    expect(rep.get_by_text("沟通要点：")).to_be_visible()
    rep.locator("[data-test=annotation-submit]").click()
    expect(rep.get_by_text(re.compile("^批注已提交"))).to_be_visible()
    expect(rep.locator(".el-form-item__error")).to_have_count(0)
    expect(rep.locator("[data-test=earlier]")).to_contain_text("计划明年扩大产能")
    shot(rep, "calls-03-annotation-saved")

    # report the second number invalid: it leaves the call lists, the cleanup list shows it
    rep.goto("/calls/list")
    expect(lease_rows(rep).filter(has_text=first_name)).to_contain_text("已拨打")
    lease_rows(rep).filter(has_text=second_name).locator("[data-test=lease-invalid]").click()
    dialog = rep.get_by_role("dialog", name="标记无效号码")
    dialog.locator("[data-test=invalid-reason] .el-radio-button", has_text="停机").click()
    dialog.locator("[data-test=invalid-save]").click()
    expect(rep.get_by_text("已标记为无效号码")).to_be_visible()
    rep.goto("/calls/invalid-phones")
    expect(lease_rows(rep).filter(has_text=second_name)).to_contain_text("停机")
    shot(rep, "calls-04-invalid-numbers")

    # today's work log
    rep.goto("/teamwork/logs")
    rep.locator("[data-test=log-content]").fill("电话申领5个号码，有效沟通1个，进入评估阶段；清理无效号码1个。")
    rep.locator("[data-test=log-plan]").fill("明天回访评估中的客户")
    rep.locator("[data-test=log-save]").click()
    expect(rep.get_by_text("日志已保存")).to_be_visible()
    shot(rep, "calls-05-work-log")

    # the manager comments on the log and answers the help request
    manager = new_page()
    sign_in(manager, "chenjing")
    manager.goto("/teamwork/logs")
    row = lease_rows(manager).filter(has_text="电话申领5个号码").first
    expect(row).to_contain_text("张三")
    row.locator("[data-test=log-open]").click()
    manager.locator("[data-test=log-comment]").fill("不错，明天重点跟进评估中的客户。")
    manager.locator("[data-test=log-comment-send]").click()
    expect(manager.get_by_text("批注已发表")).to_be_visible()
    expect(manager.locator(".el-drawer")).to_contain_text("不错，明天重点跟进评估中的客户。")
    shot(manager, "calls-06-manager-comments")
    manager.keyboard.press("Escape")

    manager.goto("/teamwork/attendance")
    expect(manager.locator(".el-table__row").filter(has_text="张三").first).to_be_visible()
    expect(manager.locator(".el-loading-mask:visible")).to_have_count(0)
    shot(manager, "calls-09-attendance")

    manager.goto("/calls/help")
    manager.locator("[data-test=help-inbox]").click()
    request = lease_rows(manager).filter(has_text="大客户压价20%").first
    expect(request).to_contain_text("待回复")
    request.locator(".name-link").click()
    manager.locator("[data-test=help-reply]").fill("先别跟价，强调我们的服务和效果案例，约客户面谈。")
    manager.locator("[data-test=help-send]").click()
    expect(manager.get_by_text("已发送")).to_be_visible()
    expect(manager.locator(".el-drawer")).to_contain_text("已回复")
    shot(manager, "calls-07-manager-answers")

    # the rep sees the answer in the thread
    rep.goto("/calls/help")
    answered = lease_rows(rep).filter(has_text="大客户压价20%").first
    expect(answered).to_contain_text("已回复")
    answered.locator(".name-link").click()
    expect(rep.locator(".el-drawer")).to_contain_text("先别跟价")
    shot(rep, "calls-08-rep-reads-answer")
