"""Issue 5, data in and out, walked in the browser (zh-CN): marketing (wufang) imports a messy GBK
CSV through the wizard — one bad row — watches the job finish and downloads the error report; a rep
(zhangsan) exports 我的客户, tags a customer, and uploads, downloads and deletes an attachment."""

import csv
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from e2e.conftest import shot
from e2e.test_customers import row_of, sign_in, wait_loaded

ROWS = [
    ["客户名称", "联系人", "手机", "电话", "标签"],
    ["无锡澄光精密机械有限公司", "钱立", "１３９１２３４００１１", "0510-8800123", "展会"],
    [],
    ["常州恒远包装材料有限公司", "孙敏", "13912340022", "", "展会,华东"],
    ["镇江和顺物流有限公司", "李强", "12345", "", ""],
    ["扬州明湖食品有限公司", "周洁", "13912340044", "0514-8700111", ""],
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def gbk_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(ROWS)
    return out.getvalue().encode("gbk")


def test_marketing_imports_a_gbk_csv_and_downloads_the_error_report(new_page):
    page: Page = new_page()
    sign_in(page, "wufang")
    page.goto("/customers/pool")
    wait_loaded(page)
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("heading", name="导入客户")).to_be_visible()
    shot(page, "io-import-1-upload")
    # upload the GBK file: the columns map themselves by their Chinese names
    page.locator("[data-test=import-upload] input[type=file]").set_input_files(
        files=[{"name": "展会名单.csv", "mimeType": "text/csv", "buffer": gbk_csv()}]
    )
    expect(page.get_by_text("编码 GBK")).to_be_visible()
    mapping = page.locator(".mapping")
    expect(mapping.locator("tr", has_text="客户名称").locator(".el-select__placeholder")).to_contain_text("客户名称")
    expect(mapping.locator("tr", has_text="手机").first.locator(".el-select__placeholder")).to_contain_text("手机")
    shot(page, "io-import-2-mapping")
    page.get_by_role("button", name="下一步：预览").click()
    preview = page.locator("[data-test=import-preview]")
    expect(preview.locator("tr", has_text="镇江和顺物流有限公司")).to_contain_text("错误")
    expect(preview.locator("tr", has_text="镇江和顺物流有限公司")).to_contain_text("11 位")
    expect(page.get_by_text("可导入 3")).to_be_visible()
    shot(page, "io-import-3-preview")
    page.locator("[data-test=import-start]").click()
    expect(page.get_by_text("导入完成")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("新增 3，更新 0，跳过 0，错误 1")).to_be_visible()
    expect(page.locator(".el-progress").first).to_contain_text("100%")
    shot(page, "io-import-4-done")
    with page.expect_download() as info:
        page.locator("[data-test=import-errors]").click()
    report = info.value.path().read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0][:3] == ["行号", "结果", "说明"]
    assert len(lines) == 2 and lines[1][0] == "5" and "镇江和顺物流有限公司" in lines[1]
    # the job in 我的任务
    page.get_by_role("button", name="我的任务").click()
    expect(page).to_have_url(re.compile(r"/jobs$"))
    job_row = page.locator(".pt-table tr.el-table__row").first
    expect(job_row).to_contain_text("导入客户")
    expect(job_row).to_contain_text("已完成")
    expect(job_row).to_contain_text("新增 3")
    shot(page, "io-jobs")
    # the imported customers are in the pool, with their tags
    page.goto("/customers/pool")
    wait_loaded(page)
    expect(row_of(page, "常州恒远包装材料有限公司")).to_be_visible()


def test_a_rep_exports_my_customers_and_manages_attachments_and_tags(new_page, tmp_path):
    page: Page = new_page()
    sign_in(page, "zhangsan")
    page.goto("/customers/mine")
    expect(page.locator(".pt-table tr.el-table__row").first).to_be_visible()
    expect(page.locator(".el-pagination__total")).not_to_have_text(re.compile(r"\b0\b"))
    count = int(re.search(r"\d+", page.locator(".el-pagination__total").inner_text()).group())
    page.get_by_role("button", name="导出").click()
    with page.expect_download() as info:
        page.get_by_text("导出 Excel（.xlsx）").click()
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes()), read_only=True).active
    exported = list(sheet.iter_rows(values_only=True))
    assert exported[0][0] == "客户名称" and len(exported) == count + 1
    first_name = exported[1][0]
    shot(page, "io-export")
    # a customer of mine: tag it, then the attachments tab
    page.locator(".pt-table tr.el-table__row").filter(has_text=first_name).first.get_by_role(
        "link", name=first_name
    ).click()
    expect(page.get_by_role("heading", name=first_name)).to_be_visible()
    page.locator("[data-test=tag-editor]").get_by_role("button", name="标签").click()
    page.locator("[data-test=tag-select] input").fill("重点跟进")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # close the options list; the editor stays open
    page.get_by_role("button", name="保存").last.click()
    expect(page.locator("[data-test=tag-editor] .customer-tag", has_text="重点跟进")).to_be_visible()
    page.get_by_role("tab", name="附件").click()
    page.locator("[data-test=attachment-upload] input[type=file]").set_input_files(
        files=[{"name": "报价单.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(page.get_by_text("已上传 报价单.pdf")).to_be_visible()
    table = page.locator(".attachments-tab .el-table")
    expect(table.locator("tr", has_text="报价单.pdf")).to_be_visible()
    expect(page.locator(".attachments-tab .el-loading-mask")).to_have_count(0)
    shot(page, "io-attachments")
    with page.expect_download() as info:
        table.locator("tr", has_text="报价单.pdf").get_by_role("button", name="下载").click()
    assert info.value.path().read_bytes() == PDF
    table.locator("tr", has_text="报价单.pdf").get_by_role("button", name="删除").click()
    page.get_by_role("dialog").get_by_role("button", name="确定").click()
    expect(page.get_by_text("附件已删除")).to_be_visible()
    expect(table.locator("tr", has_text="报价单.pdf")).to_have_count(0)
    # the tag filters the list
    page.goto("/customers/mine")
    wait_loaded(page)
    page.locator("[data-test=tag-filter]").click()
    page.locator(".el-select-dropdown__item:visible", has_text="重点跟进").click()
    wait_loaded(page)
    expect(page.locator(".pt-table tr.el-table__row")).to_have_count(1)
    expect(row_of(page, first_name)).to_be_visible()
