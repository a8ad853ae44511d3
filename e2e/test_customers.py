"""Seed 001 §5 walked in the browser (zh-CN), each step as the role it names: a rep creates a
customer in the pool (the duplicate check warns while typing), claims customers from the pool
while a colleague claims one of them first (one wins, the other is told), sees them in 我的客户 and
shares one with a colleague, who sees it read-only in 共享客户; a department manager recalls one
and assigns pool customers evenly to two reps."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import DEMO_PASSWORD, shot

NEW_CUSTOMER = "苏州市澄湖光电科技有限公司"


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))


def rows(page: Page):
    return page.locator(".pt-table .el-table__body-wrapper tr.el-table__row")


def row_of(page: Page, name: str):
    return rows(page).filter(has_text=name).first


def select_row(page: Page, name: str) -> None:
    row_of(page, name).locator(".el-checkbox").first.click()


def quick_search(page: Page, text: str) -> None:
    page.locator(".pt-search input").fill(text)
    page.locator(".pt-search input").press("Enter")


def wait_loaded(page: Page) -> None:
    expect(page.locator(".pt-table .el-loading-mask")).to_have_count(0)


def pick_user(page: Page, scope, label: str, name: str) -> None:
    """Type into a UserSelect (remote search) and choose the person."""
    item = scope.locator(".el-form-item").filter(has=page.locator("label", has_text=re.compile(f"^{label}$")))
    item.locator(".el-select__wrapper").click()
    item.locator("input").fill(name)
    page.locator(".el-select-dropdown__item:visible", has_text=name).first.click()


def batch_result(page: Page):
    return page.get_by_role("dialog", name="批量操作结果")


def close_batch_result(page: Page) -> None:
    batch_result(page).get_by_role("button", name="关闭", exact=True).click()
    expect(batch_result(page)).to_be_hidden()


def unclaimed_names(page: Page, n: int, *, besides: tuple[str, ...] = ()) -> list[str]:
    """Names of the first n unclaimed customers on the pool page (filtered to 未领用)."""
    page.locator(".el-select").filter(has_text="领用状态").click()
    page.locator(".el-select-dropdown__item:visible", has_text="未领用").click()
    expect(rows(page).filter(has_text="已领用")).to_have_count(0)
    expect(rows(page).first).to_be_visible()
    names = [rows(page).nth(i).locator(".name-link").inner_text().strip() for i in range(n + len(besides))]
    return [name for name in names if name not in besides][:n]


def my_customer_names(page: Page) -> set[str]:
    """What the signed-in user owns, asked of the API with the page's own session."""
    answer = page.request.get("/api/v1/customers/?view=mine&page_size=200").json()
    return {c["name"] for c in answer["results"]}


def test_reps_claim_and_share_and_a_manager_recalls_and_spreads_evenly(new_page):
    rep = new_page()
    sign_in(rep, "zhangsan")
    expect(rep.get_by_role("menuitem", name="客户管理")).to_be_visible()
    rep.get_by_role("menuitem", name="客户管理").click()
    expect(rep.get_by_role("menuitem", name="客户池")).to_be_visible()
    expect(rep.get_by_role("menuitem", name="全部客户")).to_have_count(0)

    # (CUS-1, CUS-6) A new customer into the pool; a near-duplicate name is flagged while typing.
    rep.goto("/customers/pool")
    wait_loaded(rep)
    existing = rows(rep).first.locator(".name-link").inner_text().strip()
    rep.get_by_role("button", name="新建客户").click()
    form = rep.get_by_role("dialog", name=re.compile("新建客户"))
    form.get_by_label("客户名称").fill(existing)
    duplicates = form.locator("[data-test=duplicates]")
    expect(duplicates).to_contain_text("可能重复")
    expect(duplicates).to_contain_text("相似度 100%")
    shot(rep, "cus-01-duplicate-warning")
    form.get_by_label("客户名称").fill(NEW_CUSTOMER)
    expect(form.get_by_text("数据来源")).to_be_visible()
    form.locator(".contacts-table").get_by_label("姓名").first.fill("周立")
    form.locator(".contacts-table").get_by_label("手机").first.fill("13912340001")
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    quick_search(rep, NEW_CUSTOMER)
    expect(row_of(rep, NEW_CUSTOMER)).to_contain_text("未领用")
    shot(rep, "cus-02-created-in-pool")

    # The pool shows public info only: a row opens its 公开信息, nothing private.
    row_of(rep, NEW_CUSTOMER).locator(".name-link").click()
    drawer = rep.get_by_role("dialog", name="公开信息")
    expect(drawer).to_contain_text("未领用")
    expect(drawer).not_to_contain_text("13912340001")
    drawer.get_by_role("button", name=re.compile("关闭")).click()

    # (CUS-1) Claim several; a colleague claims one of them first — one wins, the other is told.
    quick_search(rep, "")
    targets = unclaimed_names(rep, 3)
    for name in targets:
        select_row(rep, name)
    expect(rep.get_by_text("已选 3 项")).to_be_visible()

    colleague = new_page()
    sign_in(colleague, "lisi")
    colleague.goto("/customers/pool")
    quick_search(colleague, targets[0])
    wait_loaded(colleague)
    select_row(colleague, targets[0])
    colleague.locator(".pt-selection").get_by_role("button", name="领用").click()
    expect(batch_result(colleague)).to_contain_text("1 领用成功")
    close_batch_result(colleague)

    rep.locator(".pt-selection").get_by_role("button", name="领用").click()
    expect(batch_result(rep)).to_contain_text("2 领用成功，1 已被他人领用")
    expect(batch_result(rep)).to_contain_text(targets[0])
    shot(rep, "cus-03-claim-result")
    close_batch_result(rep)

    # (CUS-2) They are in 我的客户; share one with 李四, read-only.
    rep.goto("/customers/mine")
    expect(rep).to_have_url(re.compile(r"/customers/mine"))
    for name in targets[1:]:
        quick_search(rep, name)
        expect(row_of(rep, name)).to_be_visible()
    shared = targets[1]
    quick_search(rep, shared)
    wait_loaded(rep)
    select_row(rep, shared)
    rep.locator(".pt-selection").get_by_role("button", name="共享").click()
    share = rep.get_by_role("dialog", name=re.compile("共享 1 个客户"))
    pick_user(rep, share, "共享给员工", "李四")
    expect(share.locator(".el-tag", has_text="李四")).to_be_visible()
    shot(rep, "cus-04-share-dialog")
    share.get_by_role("button", name="共享", exact=True).click()
    expect(batch_result(rep)).to_contain_text("1 共享成功")
    close_batch_result(rep)

    # The customer's detail: header, share tab and history.
    row_of(rep, shared).locator(".name-link").click()
    expect(rep.locator(".customer-name")).to_have_text(shared)
    rep.get_by_role("tab", name="共享").click()
    expect(rep.get_by_role("cell", name=re.compile("李四"))).to_be_visible()
    rep.get_by_role("tab", name="历史").click()
    history = rep.locator(".history")
    expect(history.locator(".el-tag", has_text="领用")).to_be_visible()
    expect(history.locator(".el-tag", has_text="共享")).to_be_visible()
    expect(history).to_contain_text("共享对象：李四")
    shot(rep, "cus-05-detail-history")
    rep.get_by_role("tab", name="报价").click()
    expect(rep.locator(".customer-sales")).to_contain_text("暂无报价")  # the quotes module's tab (SAL-4)

    # (CUS-3) 李四 sees it in 共享客户, read-only: no edit.
    colleague.goto("/customers/shared")
    quick_search(colleague, shared)
    expect(row_of(colleague, shared)).to_be_visible()
    shot(colleague, "cus-06-shared-with-lisi")
    row_of(colleague, shared).locator(".name-link").click()
    expect(colleague.locator(".customer-name")).to_have_text(shared)
    expect(colleague.get_by_text("只读共享")).to_be_visible()
    expect(colleague.locator(".header-actions").get_by_role("button", name="编辑")).to_have_count(0)

    # (seed 001 §5 1.3) Back from the trip, 张三 cancels the share: 李四 no longer sees it.
    rep.get_by_role("tab", name="共享").click()
    rep.locator(".el-table__row", has_text="李四").get_by_role("button", name="取消共享").click()
    rep.locator(".el-message-box").get_by_role("button", name="确定").click()
    expect(rep.get_by_text("1 取消共享成功")).to_be_visible()
    expect(rep.get_by_text("尚未共享给任何人")).to_be_visible()
    colleague.goto("/customers/shared")
    quick_search(colleague, shared)
    expect(colleague.get_by_text("暂无共享给您的客户或下级的客户")).to_be_visible()

    # (seed 001 §5 1.4) Shared with a whole department, read-write: its members see it.
    rep.get_by_role("button", name="新增共享").click()
    share = rep.get_by_role("dialog", name=re.compile("共享 1 个客户"))
    item = share.locator(".el-form-item").filter(has=rep.locator("label", has_text=re.compile("^共享给部门$")))
    item.locator(".el-select__wrapper").click()
    rep.locator(".el-tree-node__content:visible").filter(has_text=re.compile("^上海销售一部$")).click()
    expect(share.locator(".el-tag", has_text="上海销售一部")).to_be_visible()
    share.get_by_text("读写").click()
    expect(share.get_by_role("radio", name="读写")).to_be_checked()
    shot(rep, "cus-06a-share-department-dialog")
    share.get_by_role("button", name="共享", exact=True).click()
    expect(rep.get_by_role("cell", name=re.compile("上海销售一部"))).to_be_visible()
    shot(rep, "cus-06b-shared-with-department")
    colleague.reload()
    quick_search(colleague, shared)
    expect(row_of(colleague, shared)).to_be_visible()

    # (CUS-1/3) The department manager recalls one of 张三's customers back into the pool…
    manager = new_page()
    sign_in(manager, "chenjing")
    manager.goto("/customers/all")
    recalled = targets[2]
    quick_search(manager, recalled)
    wait_loaded(manager)
    select_row(manager, recalled)
    manager.locator(".pt-selection").get_by_role("button", name="收回").click()
    manager.locator(".el-message-box").get_by_role("button", name="确定").click()
    expect(batch_result(manager)).to_contain_text("1 收回成功")
    close_batch_result(manager)

    # (CUS-4, seed 001 §5 1.2) …and spreads four pool customers evenly over 张三 and 李四.
    manager.goto("/customers/pool")
    wait_loaded(manager)
    spread = unclaimed_names(manager, 4, besides=(recalled,))
    for name in spread:
        select_row(manager, name)
    manager.locator(".pt-selection").get_by_role("button", name="指派").click()
    assign = manager.get_by_role("dialog", name=re.compile("指派 4 个客户"))
    pick_user(manager, assign, "指派给", "张三")
    pick_user(manager, assign, "指派给", "李四")
    expect(assign.locator(".el-tag", has_text="李四")).to_be_visible()
    expect(assign.get_by_text("4 个客户将平均分配给 2 人，每人约 2 个")).to_be_visible()
    shot(manager, "cus-07-assign-evenly")
    assign.get_by_role("button", name="平均分配").click()
    expect(batch_result(manager)).to_contain_text("4 指派成功")
    close_batch_result(manager)
    manager.goto("/customers/pool")
    quick_search(manager, spread[0])
    expect(row_of(manager, spread[0])).to_contain_text("已领用")
    shot(manager, "cus-08-after-assign")

    # 张三 and 李四 now have two of them each; the recalled one is no longer 张三's.
    mine, theirs = my_customer_names(rep), my_customer_names(colleague)
    assert len(mine & set(spread)) == 2
    assert len(theirs & set(spread)) == 2
    assert recalled not in mine


def api_patch(page: Page, path: str, data: dict) -> int:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    headers = {"X-CSRFToken": cookies.get("csrftoken", ""), "Content-Type": "application/json"}
    return page.request.patch(path, data=data, headers=headers).status


def test_a_manager_resolves_a_stale_edit_and_merges_two_duplicates(new_page):
    manager = new_page()
    sign_in(manager, "chenjing")
    manager.goto("/customers/all")
    wait_loaded(manager)
    first, second = (rows(manager).nth(i).locator(".name-link").inner_text().strip() for i in (0, 1))

    # (API.md stale version) Someone saves the customer while the manager edits it: they are told
    # which fields changed and overwrite only their own change.
    row_of(manager, first).locator(".name-link").click()
    expect(manager.locator(".customer-name")).to_have_text(first)
    customer_id = manager.url.rstrip("/").split("/")[-1]
    manager.locator(".header-actions").get_by_role("button", name="编辑").click()
    form = manager.get_by_role("dialog", name="编辑客户")
    form.get_by_label("地址").fill("苏州工业园区星湖街 88 号")
    other = new_page()
    sign_in(other, "wangzong")
    current = other.request.get(f"/api/v1/customers/{customer_id}/").json()
    assert (
        api_patch(other, f"/api/v1/customers/{customer_id}/", {"version": current["version"], "remarks": "王总补充"})
        == 200
    )
    form.get_by_role("button", name="保存").click()
    conflict = manager.locator(".el-message-box")
    expect(conflict).to_contain_text("他人修改了：备注")
    shot(manager, "cus-09-stale-edit")
    conflict.get_by_role("button", name="覆盖").click()
    expect(form).to_be_hidden()
    expect(manager.get_by_text("苏州工业园区星湖街 88 号")).to_be_visible()
    expect(manager.get_by_text("王总补充")).to_be_visible()

    # (CUS-6) Merge two customers side by side; the second one goes, its records move over.
    manager.goto("/customers/all")
    wait_loaded(manager)
    select_row(manager, first)
    select_row(manager, second)
    manager.locator(".pt-selection").get_by_role("button", name="合并").click()
    merge = manager.get_by_role("dialog", name="合并重复客户")
    expect(merge.locator(".merge-table")).to_contain_text(second)
    shot(manager, "cus-10-merge")
    merge.get_by_role("button", name=re.compile("合并到")).click()
    expect(batch_result(manager)).to_contain_text("1 合并成功")
    close_batch_result(manager)
    quick_search(manager, second)
    expect(manager.get_by_text("没有符合条件的客户")).to_be_visible()
