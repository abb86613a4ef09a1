"""A leader reads the dashboard on a phone in English: the bars' names (an English name and its
Chinese term) stay whole inside their chart, and the top bar shows the leader's name on one
line."""

from __future__ import annotations

from tests.e2e.conftest import login, screenshot

OUTSIDE = """
(chart) => {
  const box = document.querySelector(chart).getBoundingClientRect();
  return Array.from(document.querySelectorAll(chart + " .ytick text, " + chart + " .bartext"))
    .map((t) => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1)
    .map(([text]) => text);
}
"""


def test_english_bar_names_and_the_name_in_the_top_bar_fit_a_phone(
    browser, live_server, demo
) -> None:
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    base = live_server.url
    login(page, base, "leader")
    page.click("button.lang[value=en]")
    page.wait_for_load_state()
    page.goto(f"{base}/dashboard/")
    page.wait_for_selector("#chart-designations .main-svg")

    assert page.evaluate(OUTSIDE, "#chart-designations") == []
    # "Provincial specialised SME (省级专精特新中小企业)": the term under the name.
    names = page.locator("#chart-designations .ytick text").all_text_contents()
    assert any("Provincial specialised SME" in n and "省级专精特新中小企业" in n for n in names)

    summary = page.locator(".usermenu summary")
    line = float(summary.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 20"))
    assert summary.bounding_box()["height"] < 2 * line, "the name is broken over lines"
    screenshot(page, "dashboard-phone-en")
    context.close()
