"""SAL-1/2/6/7 walked in the browser (zh-CN): a rep (zhangsan) turns a customer into an opportunity,
drags it across the kanban to won (a stale drag is refused and the board reloads), makes a contract
with two instalments and records a partial payment (an over-payment is refused); the collection
list shows the remainder when due; the manager (chenjing) writes off a bad debt; two reps on one
customer produce one conflict that the manager resolves, and both reps see the outcome."""

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from e2e.conftest import shot
from e2e.test_customers import sign_in

TITLE = "澄湖二期设备采购"


def field(scope, label: str):
    item = scope.locator(".el-form-item").filter(has=scope.page.locator("label", has_text=re.compile(f"^{label}$")))
    return item.locator("input, textarea").first


def csrf(page: Page) -> dict:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token, "Content-Type": "application/json"}


def settled_shot(page: Page, name: str) -> None:
    """A screenshot once the loading masks and closing dialogs are gone."""
    expect(page.locator(".el-loading-mask:visible")).to_have_count(0)
    page.wait_for_timeout(300)
    shot(page, name)


def column(page: Page, code: str):
    return page.locator(f'section.column[data-stage="{code}"]')


def card(page: Page, title: str):
    return page.locator(".card", has_text=title)


def new_opportunity_on(page: Page, customer_id: int, title: str, amount: str) -> None:
    page.goto(f"/customers/{customer_id}")
    page.get_by_role("tab", name="合同").click()
    page.locator(".new-opportunity").click()
    dialog = page.get_by_role("dialog", name="新建商机")
    expect(dialog).to_be_visible()
    field(dialog, "商机名称").fill(title)
    field(dialog, "预计金额").fill(amount)
    field(dialog, "下一步").fill("约技术交流")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()


def test_from_opportunity_to_cash_and_a_conflict_decided_by_the_manager(new_page):
    rep = new_page()
    sign_in(rep, "zhangsan")
    me = rep.request.get("/api/v1/auth/me/").json()
    mine = rep.request.get("/api/v1/customers/?view=mine&page_size=200").json()["results"]
    taken = {o["customer"] for o in rep.request.get("/api/v1/opportunities/?page_size=200").json()["results"]}
    customer = next(c for c in mine if c["id"] not in taken)

    # -- SAL-1: the rep turns the customer into an opportunity (customer detail → 合同 → 新建商机)
    new_opportunity_on(rep, customer["id"], TITLE, "100000")
    rep.goto("/deals/opportunities")
    expect(card(rep, TITLE)).to_be_visible()
    expect(column(rep, "initial").locator(".card", has_text=TITLE)).to_be_visible()

    # drag it one stage on
    card(rep, TITLE).drag_to(column(rep, "needs"))
    expect(column(rep, "needs").locator(".card", has_text=TITLE)).to_be_visible()

    # someone else changes it meanwhile: the next drag is refused and the board reloads
    opportunity_id = int(card(rep, TITLE).get_attribute("data-id"))
    current = rep.request.get(f"/api/v1/opportunities/{opportunity_id}/").json()
    changed = rep.request.patch(
        f"/api/v1/opportunities/{opportunity_id}/",
        data={"version": current["version"], "next_step": "客户要求先看样机"},
        headers=csrf(rep),
    )
    assert changed.ok, changed.text()
    card(rep, TITLE).drag_to(column(rep, "proposal"))
    stale = rep.locator(".el-message-box", has_text="有人刚刚修改了这个商机")
    expect(stale).to_be_visible()
    shot(rep, "deals-01-stale-drag")
    stale.get_by_role("button", name=re.compile("确定|OK")).click()
    expect(column(rep, "needs").locator(".card", has_text=TITLE)).to_be_visible()

    # to won, with the reason
    card(rep, TITLE).drag_to(column(rep, "won"))
    prompt = rep.locator(".el-message-box", has_text="赢单原因")
    expect(prompt).to_be_visible()
    prompt.locator("input").fill("方案通过技术评审，价格认可")
    prompt.get_by_role("button", name="确定").click()
    expect(column(rep, "won").locator(".card", has_text=TITLE)).to_be_visible()
    settled_shot(rep, "deals-02-board-won")

    # -- SAL-6: a contract from the won opportunity
    card(rep, TITLE).click()
    drawer = rep.locator(".el-drawer", has_text=TITLE)
    expect(drawer.get_by_role("cell", name=re.compile("方案通过技术评审"))).to_be_visible()
    drawer.get_by_role("button", name="生成合同").click()
    form = rep.get_by_role("dialog", name="新建合同")
    expect(form).to_be_visible()
    expect(field(form, "合同金额")).to_have_value("100000.00")
    form.get_by_role("button", name="保存").click()
    expect(rep).to_have_url(re.compile(r"/deals/contracts/\d+$"))
    contract_url = rep.url
    expect(rep.locator(".contract-title")).to_contain_text(TITLE)
    expect(rep.locator(".contract-title")).to_contain_text("草稿")

    # -- SAL-7: two instalments, the first due today
    today = date.today()
    for due, amount in ((today, "60000"), (today + timedelta(days=60), "40000")):
        rep.locator(".add-plan").click()
        dialog = rep.get_by_role("dialog", name="新增分期")
        expect(dialog).to_be_visible()
        due_input = dialog.locator(".plan-due input")
        due_input.fill(due.isoformat())
        due_input.press("Enter")
        dialog.locator(".plan-amount input").fill(amount)
        dialog.get_by_role("button", name="保存").click()
        expect(dialog).to_be_hidden()
    plan_rows = rep.locator(".plans-table .el-table__body-wrapper tr.el-table__row")
    expect(plan_rows).to_have_count(2)

    # an over-payment is refused with the amount left; a partial payment goes through
    plan_rows.first.locator(".pay-button").click()
    pay = rep.get_by_role("dialog", name="登记收款")
    pay.locator(".payment-amount input").fill("70000")
    pay.get_by_role("button", name="确认收款").click()
    expect(pay).to_contain_text("60000.00")
    settled_shot(rep, "deals-03-overpayment-refused")
    pay.locator(".payment-amount input").fill("25000")
    pay.get_by_role("button", name="确认收款").click()
    expect(pay).to_be_hidden()
    expect(plan_rows.first).to_contain_text("部分收款")
    expect(plan_rows.first).to_contain_text("¥35,000.00")
    settled_shot(rep, "deals-04-contract-partial-payment")

    # -- the collection list shows the remainder when due (today)
    rep.goto("/deals/receivables")
    rep.locator(".task-range").get_by_text("今天").click()
    task = rep.locator(".tasks-table tr.el-table__row", has_text=customer["name"])
    expect(task).to_be_visible()
    expect(task).to_contain_text("¥35,000.00")
    settled_shot(rep, "deals-05-collection-today")

    # the customer's own tabs: 应收款 and 已收款
    rep.goto(f"/customers/{customer['id']}")
    rep.get_by_role("tab", name="应收款").click()
    receivable_rows = rep.locator("#pane-receivables tr.el-table__row")
    expect(receivable_rows).to_have_count(2)
    expect(receivable_rows.first).to_contain_text("¥35,000.00")
    rep.get_by_role("tab", name="已收款").click()
    expect(rep.locator("#pane-received tr.el-table__row").first).to_contain_text("¥25,000.00")
    settled_shot(rep, "deals-05b-customer-received-tab")

    # -- the manager writes off the second instalment as a bad debt
    manager = new_page()
    sign_in(manager, "chenjing")
    manager.goto(contract_url)
    manager_rows = manager.locator(".plans-table .el-table__body-wrapper tr.el-table__row")
    expect(manager_rows).to_have_count(2)
    manager_rows.nth(1).locator(".write-off-button").click()
    write_off = manager.get_by_role("dialog", name="坏账核销")
    write_off.locator("textarea").fill("客户经营异常，无法联系")
    write_off.get_by_role("button", name="确认核销").click()
    result = manager.get_by_role("dialog", name="批量操作结果")
    expect(result).to_be_visible()
    result.get_by_role("button", name="关闭", exact=True).click()
    expect(result).to_be_hidden()
    expect(manager_rows.nth(1)).to_contain_text("坏账核销")
    expect(manager_rows.nth(1)).to_contain_text("客户经营异常")
    settled_shot(manager, "deals-06-written-off")

    # the pipeline the board follows, editable by managers and administrators
    manager.goto("/deals/pipeline")
    expect(manager.locator(".el-table__body-wrapper tr.el-table__row")).to_have_count(6)
    expect(manager.locator(".el-table__body-wrapper")).to_contain_text("商务谈判")

    # -- SAL-2: another rep (lisi) opens an opportunity on a customer zhangsan owns
    other = new_page()
    sign_in(other, "lisi")
    lisi = other.request.get("/api/v1/auth/me/").json()
    shared = other.request.get(f"/api/v1/customers/?view=shared&owner={me['id']}&page_size=50").json()["results"]
    if not shared:  # the demo data shares some; if not, the manager shares one
        target = mine[-1]
        manager.request.post(
            "/api/v1/customers/share/",
            data={"ids": [target["id"]], "users": [lisi["id"]]},
            headers=csrf(manager),
        )
        shared = [target]
    contested = shared[0]
    new_opportunity_on(other, contested["id"], "李四的抢单机会", "50000")
    new_opportunity_on(other, contested["id"], "李四的第二个机会", "1000")  # still one conflict

    manager.goto("/deals/conflicts")
    row = manager.locator(".pt-table tr.el-table__row", has_text=contested["name"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("张三")
    expect(row).to_contain_text("李四")
    settled_shot(manager, "deals-07-conflict-to-decide")
    row.locator(".resolve-button").click()
    decide = manager.get_by_role("dialog", name=re.compile("撞单裁决"))
    decide.locator(".el-radio", has_text="张三").click()
    decide.locator("textarea").fill("客户一直由张三跟进，李四协助")
    decide.get_by_role("button", name="确认裁决").click()
    expect(decide).to_be_hidden()
    expect(manager.locator(".pt-table tr.el-table__row", has_text=contested["name"])).to_have_count(0)
    manager.locator(".el-radio-button", has_text="全部").click()
    decided = manager.locator(".pt-table tr.el-table__row", has_text=contested["name"])
    expect(decided).to_contain_text("已裁决")
    expect(decided).to_contain_text("归 张三")

    # both reps see the outcome
    for page in (other, rep):
        page.goto("/deals/conflicts")
        outcome = page.locator(".pt-table tr.el-table__row", has_text=contested["name"])
        expect(outcome).to_contain_text("归 张三")
        expect(outcome).to_contain_text("客户一直由张三跟进")
    settled_shot(other, "deals-08-conflict-outcome-for-rep")
