"""A leader logs in, sees the home page, switches language and logs out."""

from __future__ import annotations

from tests.e2e.conftest import login, screenshot


def test_leader_logs_in_switches_language_and_logs_out(page, live_server, demo) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text().endswith("高新区产业工作平台")
    screenshot(page, "login")

    login(page, base, "leader")
    assert "您好，李主任" in page.locator("h1").inner_text()
    assert page.locator(".mainnav a[aria-current=page]").inner_text() == "首页"
    assert page.locator("#zone-select option").count() == 3  # all, and the two demo zones
    screenshot(page, "home-zh")

    page.click("button.lang[value=en]")
    page.wait_for_load_state()
    assert "Hello, 李主任" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-en")

    page.click("button.lang[value=zh-hans]")
    page.wait_for_load_state()
    assert "您好" in page.locator("h1").inner_text()

    page.click(".usermenu summary")
    page.click("text=退出登录")
    page.wait_for_url(f"{base}/accounts/login/")
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url


def test_leader_opens_a_figure_and_its_records(page, live_server, demo) -> None:
    base = live_server.url
    login(page, base, "leader")
    page.click(".mainnav >> text=指标")
    page.click("a:has-text('用户数：领导') >> nth=0")
    assert "leader" in page.locator("table.table").inner_text()
    screenshot(page, "metric-records")


def test_home_page_fits_a_phone_screen(browser, live_server, demo) -> None:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    login(page, live_server.url, "leader")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone screen"
    screenshot(page, "home-phone")
    context.close()
