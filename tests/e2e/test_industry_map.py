"""A leader opens the industry system, clicks into an industry's map and reads its strengths."""

from __future__ import annotations

from decimal import Decimal

from tests.e2e.conftest import login, screenshot


def _storage_chain() -> None:
    from gaoxin.accounts.models import Zone
    from gaoxin.demo import scenario
    from gaoxin.industries.models import Position
    from tests.factories import (
        ChainSegmentFactory,
        EnterpriseFactory,
        IndustryFactory,
        IndustryGroupFactory,
    )

    zone = Zone.objects.get(code=scenario.ZONE_CODE)
    group = IndustryGroupFactory(zone=zone, name="新兴产业")
    industry = IndustryFactory(zone=zone, group=group, name="氢能", weak_max=2)
    chain = [
        ("正极材料", Position.UPSTREAM, 3),
        ("电解液", Position.UPSTREAM, 0),
        ("电芯制造", Position.MIDSTREAM, 1),
        ("电池管理系统", Position.MIDSTREAM, 4),
        ("储能电站", Position.DOWNSTREAM, 2),
        ("回收利用", Position.DOWNSTREAM, 0),
    ]
    for order, (name, position, count) in enumerate(chain):
        segment = ChainSegmentFactory(industry=industry, name=name, position=position, order=order)
        for n in range(count):
            enterprise = EnterpriseFactory(
                zone=zone,
                name=f"珠海{name}{n + 1}号科技有限公司",
                short_name=f"{name[:2]}{n + 1}号",
                registered_capital=Decimal((n + 1) * 10_000_000),
                is_above_scale=n == 0,
                above_scale_year=2022 if n == 0 else None,
            )
            enterprise.segments.add(segment)
            enterprise.industries.add(industry)


def test_leader_opens_the_overview_and_an_industry_map(page, live_server, demo) -> None:
    _storage_chain()
    base = live_server.url
    login(page, base, "leader")
    page.click(".mainnav a[href='/industries/']")
    page.wait_for_url(f"{base}/industries/")
    assert "氢能" in page.locator("#industry-table").inner_text()
    page.wait_for_selector("#industry-chart .main-svg")
    screenshot(page, "industry-overview")

    page.click("#industry-table a:has-text('氢能') >> nth=0")
    page.wait_for_selector(".chain")
    columns = page.locator(".chain-column")
    assert columns.count() == 3
    badges = {
        name: page.locator(f".segment-card:has-text('{name}') .badge").inner_text().strip()
        for name in ("正极材料", "电解液", "电芯制造", "电池管理系统", "储能电站", "回收利用")
    }
    assert badges == {
        "正极材料": "强",
        "电解液": "缺",
        "电芯制造": "弱",
        "电池管理系统": "强",
        "储能电站": "弱",
        "回收利用": "缺",
    }
    targets = page.locator(".targets").inner_text()
    assert "电解液" in targets and "回收利用" in targets and "正极材料" not in targets
    assert page.locator(".segment-card:has-text('电池管理系统') .segment-top li").count() == 3
    # a leader reads: no judging or editing buttons
    assert page.locator(".segment-tools").count() == 0
    screenshot(page, "industry-map")
