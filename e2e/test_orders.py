"""SAL-4/5 walked in the browser (zh-CN) as a rep (zhangsan): a quote on one of his customers with
two products, printed with the company's header, sent, accepted and turned into an order; the order
gets a discounted line and a gift line and shows the totals the server computed; a partial shipment
is recorded."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import shot
from e2e.test_customers import sign_in


def confirm(page: Page) -> None:
    page.locator(".el-message-box").get_by_role("button", name="确定").click()
    expect(page.locator(".el-message-box")).to_be_hidden()


def pick_product(page: Page, line: int, search: str, code: str) -> None:
    select = page.locator(".doc-form .lines-table .product-select").nth(line)
    select.locator(".el-select__wrapper").click()
    select.locator("input").fill(search)
    page.locator(".el-select-dropdown__item:visible", has_text=code).first.click()


def line_row(page: Page, line: int):
    return page.locator(".doc-form .lines-table .el-table__body-wrapper tr.el-table__row").nth(line)


def test_rep_quotes_prints_converts_discounts_gives_a_gift_and_ships_part(new_page):
    rep = new_page()
    rep.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1 }")
    sign_in(rep, "zhangsan")
    customer = rep.request.get("/api/v1/customers/?view=mine&page_size=1&ordering=id").json()["results"][0]

    # the customer's 报价 tab: a new quote with two products at their list prices
    rep.goto(f"/customers/{customer['id']}")
    rep.get_by_role("tab", name="报价").click()
    rep.locator(".new-quote").click()
    dialog = rep.get_by_role("dialog", name="新建报价")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(customer["name"])
    dialog.locator(".el-form-item").filter(has_text="报价主题").locator("input").fill("会议室投影方案")
    pick_product(rep, 0, "J500", "XH-J500")
    expect(line_row(rep, 0).locator("input").nth(1)).to_have_value("J500 / 4000流明")  # the model follows the product
    dialog.get_by_role("button", name="添加一行").click()
    pick_product(rep, 1, "投影幕", "XH-SC100")
    line_row(rep, 1).locator(".el-input-number input").fill("2")
    shot(rep, "orders-01-new-quote")
    dialog.locator(".save-document").click()

    # the quote as the server priced it: 5600 + 2 × 980
    expect(rep).to_have_url(re.compile(r"/sales/quotes/\d+$"))
    expect(rep.locator("[data-test=total]")).to_have_text("¥7,560.00")
    expect(rep.locator(".doc-title")).to_contain_text("草稿")
    shot(rep, "orders-02-quote")

    # print: the sheet carries the company's header and no cost or profit
    rep.locator("button.print").click()
    assert rep.evaluate("window.__printed") == 1
    rep.emulate_media(media="print")
    sheet = rep.locator("[data-test=print-sheet]")
    expect(sheet).to_be_visible()
    expect(sheet.locator(".print-company")).to_have_text("星河贸易有限公司")
    expect(sheet).to_contain_text("会议室投影方案")
    expect(sheet).to_contain_text("¥7,560.00")
    expect(sheet).not_to_contain_text("利润")
    shot(rep, "orders-03-quote-printed")
    rep.emulate_media(media="screen")

    # sent, accepted by the customer, then 转为订单
    rep.get_by_role("button", name="发送").click()
    confirm(rep)
    expect(rep.locator(".doc-title")).to_contain_text("已发送")
    rep.get_by_role("button", name="客户接受").click()
    confirm(rep)
    expect(rep.locator(".doc-title")).to_contain_text("已接受")
    rep.locator("button.convert").click()
    confirm(rep)
    expect(rep).to_have_url(re.compile(r"/sales/orders/\d+$"))
    expect(rep.locator("[data-test=total]")).to_have_text("¥7,560.00")

    # the order gets a printer at 10% off and two HDMI cables as a gift
    rep.locator(".edit-order").click()
    dialog = rep.get_by_role("dialog", name=re.compile("编辑订单"))
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="添加一行").click()
    pick_product(rep, 2, "P100", "XH-P100")
    line_row(rep, 2).locator(".el-input-number input").fill("2")
    line_row(rep, 2).locator(".el-select").nth(1).click()
    rep.locator(".el-select-dropdown__item:visible", has_text="折扣率").click()
    line_row(rep, 2).locator(".discount-value input").fill("10")
    dialog.get_by_role("button", name="添加一行").click()
    pick_product(rep, 3, "HDMI", "XH-HDMI")
    line_row(rep, 3).locator(".el-input-number input").fill("2")
    line_row(rep, 3).get_by_label("赠品").check()
    shot(rep, "orders-04-order-lines")
    dialog.locator(".save-document").click()
    expect(dialog).to_be_hidden()

    # totals computed on the server: 7560 + 2 × 1580 = 10720, less 316 off, the gift at 0
    expect(rep.locator("[data-test=subtotal]")).to_have_text("¥10,720.00")
    expect(rep.locator("[data-test=discount]")).to_have_text("-¥316.00")
    expect(rep.locator("[data-test=total]")).to_have_text("¥10,404.00")
    gift = rep.locator(".lines-table tr.el-table__row").filter(has_text="赠品")
    expect(gift).to_contain_text("¥0.00")
    shot(rep, "orders-05-order-totals")

    # a partial shipment: one of the two printers
    rep.locator("button.ship").click()
    ship = rep.get_by_role("dialog", name="发货")
    printer = ship.locator("tr.el-table__row").filter(has_text="黑白激光打印机")
    printer.locator(".ship-quantity input").fill("1")
    ship.locator(".save-shipment").click()
    expect(ship).to_be_hidden()
    expect(rep.locator("[data-test=shipping]")).to_have_text("部分发货")
    expect(rep.locator(".order-detail")).to_contain_text("黑白激光打印机 × 1")
    shot(rep, "orders-06-partial-shipment")

    # the customer's tab lists the quote, marked as ordered, and the order
    rep.goto(f"/customers/{customer['id']}")
    rep.get_by_role("tab", name="报价").click()
    expect(rep.locator(".customer-sales")).to_contain_text("已转订单")
    expect(rep.locator(".customer-sales")).to_contain_text("¥10,404.00")
    shot(rep, "orders-07-customer-tab")


def test_manager_adds_a_product_and_deactivates_it_in_batch(new_page):
    manager = new_page()
    sign_in(manager, "chenjing")
    manager.goto("/sales/products")
    manager.get_by_role("button", name="新建产品").click()
    dialog = manager.get_by_role("dialog", name="新建产品")
    for label, value in (
        ("产品编号", "XH-E2E1"),
        ("产品名称", "测试碎纸机"),
        ("型号/规格", "S5 / 5级保密"),
        ("牌价", "899"),
        ("成本价", "520.5"),
    ):
        dialog.locator(".el-form-item").filter(has_text=label).first.locator("input").fill(value)
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    manager.locator(".pt-search input").fill("XH-E2E1")
    row = manager.locator(".pt-table tr.el-table__row").filter(has_text="XH-E2E1")
    expect(row).to_contain_text("¥378.50")  # unit margin from the server
    row.locator(".el-checkbox").first.click()
    manager.locator(".pt-selection").get_by_role("button", name="停用").click()
    confirm(manager)
    expect(manager.locator(".pt-table tr.el-table__row").filter(has_text="XH-E2E1")).to_have_count(0)
    manager.locator(".filter-status").click()
    manager.locator(".el-select-dropdown__item:visible", has_text="停用").click()
    expect(manager.locator(".pt-table tr.el-table__row").filter(has_text="XH-E2E1")).to_contain_text("停用")
    shot(manager, "orders-08-products-deactivated")
