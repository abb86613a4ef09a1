"""An officer finds an enterprise by two keystrokes of pinyin, opens its file, and goes on
to the industry map of its chain."""

from __future__ import annotations

from gaoxin.enterprises.models import Enterprise
from tests.e2e.conftest import login, screenshot


def test_search_by_pinyin_then_detail_then_map(page, live_server, demo) -> None:
    base = live_server.url
    target = Enterprise.objects.filter(name__startswith="横琴").order_by("pk").first()
    segment = target.segments.select_related("industry").first()
    login(page, base, "officer")
    page.click(".mainnav a[href='/enterprises/']")
    page.wait_for_url(f"{base}/enterprises/")
    screenshot(page, "enterprise-list")

    page.fill("#id_q", "hq")  # 横琴 → h q
    page.wait_for_function(
        "() => [...document.querySelectorAll('#results td.name a')]"
        ".every(a => a.textContent.startsWith('横琴'))"
    )
    assert "q=hq" in page.url
    screenshot(page, "enterprise-search")

    page.click(f"#results a:has-text('{target.name}')")
    page.wait_for_url(f"{base}/enterprises/{target.pk}/")
    assert page.locator("h1").inner_text().startswith(target.name)
    assert "变更记录" in page.content()
    screenshot(page, "enterprise-detail")

    page.goto(f"{base}/industries/{segment.industry_id}/")
    assert segment.name in page.content()
    screenshot(page, "industry-map")
