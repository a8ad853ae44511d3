"""Issue 6 in the browser (zh-CN). First: an administrator sets a daily claim limit of 2 on the company pool;
a rep claims 3 customers from the pool and is told which rule refused the third and when it will
allow it; the rep's customers show the days left before auto-return; the administrator previews
auto-return for a stricter rule (nothing moves) and looks at the pool health dashboard. Second: in a
trial pool with a 1-day no-follow-up rule a claimed customer shows 1 day left; with the clock advanced
(the job run for two days later) it is back in the pool and its former owner cannot reclaim it during
the cool-down."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from e2e.conftest import ADMIN_PASSWORD, manage, shot
from e2e.test_customers import batch_result, rows, sign_in, wait_loaded
from e2e.test_foundation import NEW_ADMIN_PASSWORD, change_password


def sign_in_admin(page: Page) -> None:
    """The administrator, whether or not an earlier test already changed the first password."""
    for password in (ADMIN_PASSWORD, NEW_ADMIN_PASSWORD):
        page.goto("/login")
        page.get_by_label("用户名或手机号").fill("admin")
        page.get_by_label("密码", exact=True).fill(password)
        page.get_by_role("button", name="登录").click()
        try:
            page.wait_for_url(re.compile(r"/(change-password)?$"), timeout=5000)
        except PlaywrightTimeout:
            continue  # not this password
        if page.url.endswith("/change-password"):
            change_password(page, password, NEW_ADMIN_PASSWORD)
            expect(page).to_have_url(re.compile(r"/$"), timeout=15000)  # the new password is hashed first
            return
        if not page.url.endswith("/login"):
            return
    raise AssertionError("the administrator could not sign in")


def rule_item(page: Page, label: str):
    return page.locator("[data-test=rules-form] .el-form-item").filter(
        has=page.locator(".el-form-item__label", has_text=re.compile(f"^{label}$"))
    )


def test_claim_limit_refusal_names_the_rule_and_the_admin_previews_auto_return(new_page):
    # -------- the administrator sets 每日领用上限 = 2 on the company pool
    admin = new_page()
    sign_in_admin(admin)
    admin.goto("/pools/manage")
    expect(admin.get_by_role("heading", name="客户池管理")).to_be_visible()
    form = admin.locator("[data-test=rules-form]")
    expect(form.locator(".el-form")).to_be_visible()
    daily = rule_item(admin, "每日领用上限")
    if "is-checked" not in (daily.locator(".el-switch").get_attribute("class") or ""):
        daily.locator(".el-switch").click()
    daily.locator("[data-test=daily-claim-limit] input").fill("2")
    daily.locator("[data-test=daily-claim-limit] input").press("Tab")
    admin.locator("[data-test=save-rules]").click()
    expect(admin.get_by_text("规则已保存")).to_be_visible()
    shot(admin, "pool-rules-01-admin-sets-claim-limit")

    # -------- a rep claims three customers from the pool: the third is refused by the rule
    rep = new_page()
    sign_in(rep, "wangwu")  # a rep no earlier browser test has claimed with today
    rep.goto("/customers/pool")
    wait_loaded(rep)
    free = rows(rep).filter(has_text="未领用")
    expect(free.nth(2)).to_be_visible()
    names = [free.nth(i).locator("td").nth(1).inner_text().strip() for i in range(3)]
    for i in range(3):
        free.nth(i).locator(".el-checkbox").first.click()
    rep.locator(".pt-toolbar, .panel").get_by_role("button", name="领用", exact=True).first.click()
    dialog = batch_result(rep)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("2 领用成功")
    expect(dialog).to_contain_text("今日领用已达上限 2（每日领用上限），明日可继续领用。")
    shot(rep, "pool-rules-02-rep-refused-by-daily-claim-limit")
    dialog.get_by_role("button", name="关闭", exact=True).click()

    # -------- 我的客户 shows 剩余天数 (the auto-return countdown), sortable
    rep.goto("/customers/mine")
    wait_loaded(rep)
    header = rep.locator(".pt-table thead th").filter(has_text="剩余天数")
    expect(header).to_be_visible()
    header.click()
    wait_loaded(rep)
    expect(rep.locator("[data-test=days-left]").first).to_be_visible()
    claimed = [n for n in names if n]
    assert claimed
    shot(rep, "pool-rules-03-my-customers-days-left")

    # -------- the administrator previews a 1-day no-follow-up rule: who would go back, nothing moves
    admin.reload()
    expect(form.locator(".el-form")).to_be_visible()
    auto = rule_item(admin, "启用")
    expect(auto.locator(".el-switch")).to_have_class(re.compile("is-checked"))
    days = admin.locator("[data-test=no-follow-up-days] input")
    days.fill("1")
    days.press("Tab")
    admin.locator("[data-test=preview]").click()
    result = admin.locator("[data-test=preview-result]")
    expect(result).to_contain_text(re.compile(r"将有 \d+ 个客户退回公海，涉及 \d+ 名销售"))
    expect(result.locator(".el-table").first).to_be_visible()
    result.scroll_into_view_if_needed()
    shot(admin, "pool-rules-04-admin-previews-auto-return")

    # -------- the pool health dashboard
    admin.get_by_role("tab", name="公海健康度").click()
    expect(admin.locator("[data-test=pool-health]")).to_contain_text("领用到首次跟进")
    admin.wait_for_timeout(500)  # the charts animate in
    shot(admin, "pool-rules-05-pool-health")


def test_a_one_day_rule_warns_returns_and_cools_down(new_page):
    # -------- the administrator makes a trial pool: back after 1 day without follow-up, 7-day cool-down
    admin = new_page()
    sign_in_admin(admin)
    admin.goto("/pools/manage")
    admin.locator("[data-test=create-pool]").click()
    admin.locator("input[data-test=pool-name], [data-test=pool-name] input").first.fill("试用客户池")
    admin.locator("[data-test=save-pool]").click()
    expect(admin.locator(".pool-list")).to_contain_text("试用客户池")
    expect(admin.get_by_role("tab", name=re.compile("试用客户池"))).to_be_visible()
    rule_item(admin, "启用").locator(".el-switch").click()
    days = admin.locator("[data-test=no-follow-up-days] input")
    days.fill("1")
    days.press("Tab")
    rule_item(admin, "前负责人冷却期").locator(".el-switch").click()
    admin.locator("[data-test=save-rules]").click()
    expect(admin.get_by_text("规则已保存")).to_be_visible()

    # … and moves one unclaimed customer into it
    admin.goto("/customers/pool")
    wait_loaded(admin)
    free = rows(admin).filter(has_text="未领用").first
    name = free.locator("td").nth(1).inner_text().strip()
    free.locator(".el-checkbox").first.click()
    admin.locator("[data-test=move-to-pool]").click()
    admin.locator("[data-test=move-pool]").click()
    admin.locator(".el-select-dropdown:visible").get_by_text("试用客户池", exact=True).click()
    admin.locator("[data-test=move-submit]").click()
    expect(batch_result(admin)).to_contain_text("1 个已移动")

    # -------- a rep claims it from that pool and sees 1 day left (the warning in every list)
    rep = new_page()
    sign_in(rep, "lisi")
    rep.goto("/customers/pool")
    rep.locator("[data-test=pool-switcher]").click()
    rep.locator(".el-select-dropdown:visible").get_by_text("试用客户池", exact=True).click()
    wait_loaded(rep)
    rows(rep).filter(has_text=name).first.locator(".el-checkbox").first.click()
    rep.locator(".panel").get_by_role("button", name="领用", exact=True).first.click()
    expect(batch_result(rep)).to_contain_text("1 领用成功")
    batch_result(rep).get_by_role("button", name="关闭", exact=True).click()
    rep.goto("/customers/mine")
    wait_loaded(rep)
    rep.locator(".pt-table thead th").filter(has_text="剩余天数").click()
    wait_loaded(rep)
    first = rows(rep).first
    expect(first).to_contain_text(name)
    expect(first.locator("[data-test=days-left]")).to_have_text("1 天")
    shot(rep, "pool-rules-06-one-day-left")

    # -------- two days later the job has put it back in the pool
    output = manage("pool_auto_return", "--at", (datetime.now(UTC) + timedelta(days=2)).isoformat())
    assert "returned" in output
    rep.goto("/customers/pool")
    rep.locator("[data-test=pool-switcher]").click()
    rep.locator(".el-select-dropdown:visible").get_by_text("试用客户池", exact=True).click()
    wait_loaded(rep)
    back = rows(rep).filter(has_text=name).first
    expect(back).to_contain_text("未领用")

    # -------- and the rep who lost it cannot reclaim it during the cool-down
    back.locator(".el-checkbox").first.click()
    rep.locator(".panel").get_by_role("button", name="领用", exact=True).first.click()
    dialog = batch_result(rep)
    expect(dialog).to_contain_text("前负责人冷却期 7 天")
    expect(dialog).to_contain_text("后可再次领用")
    shot(rep, "pool-rules-07-cool-down-refusal")
