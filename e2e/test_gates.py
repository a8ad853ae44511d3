"""Issue 9 in the browser (zh-CN): the whole web app runs under the Content-Security-Policy (the
e2e server sets SHOAL_CSP=1, so a violation would be a console error), and the administrator makes
a backup in 系统设置 → 数据备份, sees its tables and row counts and the restore command."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import ADMIN_PASSWORD, shot

NEW_ADMIN_PASSWORD = "Admin-changed-2026!"  # the password test_foundation.py sets, if it ran first


def sign_in_as_admin(page: Page) -> None:
    page.goto("/login")
    for password in (ADMIN_PASSWORD, NEW_ADMIN_PASSWORD):
        response = page.request.post("/api/v1/auth/login/", data={"username": "admin", "password": password})
        if response.ok:
            break
    else:
        raise AssertionError("admin could not sign in")
    if response.json()["must_change_password"]:
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        changed = page.request.post(
            "/api/v1/auth/password/",
            data={"old_password": password, "new_password": NEW_ADMIN_PASSWORD},
            headers={"X-CSRFToken": cookies.get("csrftoken", "")},
        )
        assert changed.ok, changed.text()


def test_admin_backs_up_under_the_content_security_policy(new_page):
    page = new_page()
    response = page.goto("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_in_as_admin(page)
    page.goto("/")
    page.get_by_role("menuitem", name="系统设置").click()
    page.get_by_role("menuitem", name="数据备份").click()
    expect(page).to_have_url(re.compile(r"/system/backups$"))
    expect(page.get_by_text("还没有备份")).to_be_visible()
    # the dictionary entry of the same group is still there: one 系统设置 group, two entries
    expect(page.get_by_role("menuitem", name="数据字典")).to_have_count(1)

    page.get_by_role("button", name="立即备份").click()
    page.get_by_role("button", name="确定").click()
    table = page.locator("[data-test=backups-table]")
    row = table.locator("tr.el-table__row").first
    expect(row.get_by_text("已完成")).to_be_visible(timeout=30_000)
    expect(row).to_contain_text("SQLite")
    shot(page, "gates-01-backups-list")

    row.get_by_role("button", name="详情").click()
    dialog = page.get_by_role("dialog", name="备份详情")
    expect(dialog).to_contain_text("make restore FILE=var/backups/shoal-backup-")
    expect(dialog.get_by_text("customers_customer", exact=True)).to_be_visible()
    shot(page, "gates-02-backup-detail")

    with page.expect_download() as download:
        dialog.locator("..").press("Escape")
        row.get_by_text("下载").click()
    assert re.fullmatch(r"shoal-backup-[0-9-]+\.tar\.gz", download.value.suggested_filename)
