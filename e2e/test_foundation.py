"""Issue 3's walk as a new user does it (zh-CN): the administrator's first sign-in with the forced
password change, a new department and a new rep; the rep's first sign-in, a rep's menus only, and
403 from the organisation admin API."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import ADMIN_PASSWORD, DEMO_PASSWORD, shot

NEW_ADMIN_PASSWORD = "Admin-changed-2026!"
REP_FIRST_PASSWORD = "Rep-first-2026"
REP_NEW_PASSWORD = "Rep-changed-2026!"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def change_password(page: Page, old: str, new: str) -> None:
    expect(page).to_have_url(re.compile(r"/change-password"))
    page.get_by_label("原密码").fill(old)
    page.get_by_label("新密码", exact=True).fill(new)
    page.get_by_label("确认新密码").fill(new)
    page.get_by_role("button", name="确认修改").click()


def form_item(scope, label: str):
    return scope.locator(".el-form-item").filter(has=scope.page.locator("label", has_text=re.compile(f"^{label}$")))


def pick(page: Page, scope, label: str, option: str) -> None:
    """Open the select/tree-select of a form item and click the option with that text."""
    form_item(scope, label).locator(".el-select__wrapper").click()
    page.locator(".el-select-dropdown:visible, .el-popper:visible").get_by_text(option, exact=True).first.click()


def sign_out(page: Page) -> None:
    page.locator(".user-menu, [aria-label='用户菜单']").first.click()
    page.get_by_text("退出登录").click()
    expect(page).to_have_url(re.compile(r"/login"))


def api_status(page: Page, method: str, path: str, data=None) -> int:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    headers = {"X-CSRFToken": cookies.get("csrftoken", ""), "Content-Type": "application/json"}
    response = page.request.fetch(path, method=method, data=data, headers=headers)
    return response.status


def test_admin_sets_up_a_department_and_a_rep_who_then_sees_only_rep_menus(new_page):
    page = new_page()

    # A wrong password is refused with a clear, counted message.
    sign_in(page, "admin", "not-the-password")
    expect(page.get_by_text(re.compile("用户名或密码错误"))).to_be_visible()
    shot(page, "01-login-wrong-password")

    # First sign-in: the administrator must change the password before anything else.
    sign_in(page, "admin", ADMIN_PASSWORD)
    expect(page.get_by_text("首次登录或管理员重置密码后")).to_be_visible()
    shot(page, "02-admin-forced-password-change")
    change_password(page, ADMIN_PASSWORD, NEW_ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("menuitem", name="组织架构")).to_be_visible()
    expect(page.get_by_role("menuitem", name="系统设置")).to_be_visible()
    shot(page, "03-admin-home")

    # A new department under the company.
    page.goto("/org/departments")
    expect(page.get_by_text("星河贸易有限公司").first).to_be_visible()
    page.get_by_text("星河贸易有限公司").first.click()
    page.get_by_role("button", name="新建部门").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("部门名称").fill("北京销售四部")
    dialog.get_by_role("button", name="保存").click()
    expect(page.locator(".tree-node-name", has_text="北京销售四部")).to_be_visible()
    shot(page, "04-department-created")

    # A new rep in that department.
    page.goto("/org/users")
    page.get_by_role("button", name="新建员工").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("用户名").fill("xiaoming")
    dialog.get_by_label("姓名").fill("小明")
    dialog.get_by_label("初始密码").fill(REP_FIRST_PASSWORD)
    pick(page, dialog, "部门", "北京销售四部")
    pick(page, dialog, "角色", "销售代表")
    dialog.get_by_label("手机").fill("13912345678")
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_role("cell", name="xiaoming", exact=True)).to_be_visible()
    shot(page, "05-rep-created")

    # A duplicate username is a field error, not a crash.
    page.get_by_role("button", name="新建员工").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("用户名").fill("xiaoming")
    dialog.get_by_label("姓名").fill("重名")
    dialog.get_by_label("初始密码").fill(REP_FIRST_PASSWORD)
    pick(page, dialog, "部门", "北京销售四部")
    pick(page, dialog, "角色", "销售代表")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog.get_by_text("该用户名已被使用")).to_be_visible()
    shot(page, "06-duplicate-username")
    dialog.get_by_role("button", name="取消").click()

    # Deleting a department that still has members is refused with the reason.
    page.goto("/org/departments")
    page.locator(".tree-node-name", has_text="北京销售四部").click()
    page.get_by_role("button", name="删除").click()
    page.locator(".el-message-box").get_by_role("button", name="确定").click()
    expect(page.get_by_text(re.compile("部门下还有成员"))).to_be_visible()
    expect(page.locator(".el-message-box")).to_be_hidden()
    shot(page, "07-department-not-empty")

    sign_out(page)

    # The rep's first sign-in: forced change, then only a rep's menus.
    sign_in(page, "xiaoming", REP_FIRST_PASSWORD)
    change_password(page, REP_FIRST_PASSWORD, REP_NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("menuitem", name="工作台")).to_be_visible()
    expect(page.get_by_role("menuitem", name="我的资料")).to_be_visible()
    for admin_menu in ("组织架构", "员工管理", "角色权限", "系统设置", "数据字典"):
        expect(page.get_by_role("menuitem", name=admin_menu)).to_have_count(0)
    shot(page, "08-rep-home")

    # The org admin API refuses the rep; the admin screens show the 403 page.
    assert api_status(page, "POST", "/api/v1/departments/", {"name": "x"}) == 403
    assert api_status(page, "POST", "/api/v1/users/deactivate/", {"ids": [1]}) == 403
    assert api_status(page, "PATCH", "/api/v1/roles/1/", {"name": "x"}) == 403
    page.goto("/org/users")
    expect(page.get_by_text("你没有访问此页面的权限")).to_be_visible()
    shot(page, "09-rep-forbidden-page")


def test_demo_manager_signs_in_without_a_forced_change_and_sees_the_tree(new_page):
    page = new_page()
    sign_in(page, "chenjing", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/org/departments")
    expect(page.get_by_text("上海销售一部").first).to_be_visible()
    shot(page, "10-manager-departments")
