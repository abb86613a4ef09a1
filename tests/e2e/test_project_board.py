"""The project board shows one path at a time: the switch changes its columns (a plain link, so
it works without JavaScript), and on a phone the strip of stage counts opens one column."""

from __future__ import annotations

from tests.e2e.conftest import login, screenshot


def test_board_path_switch_and_phone_strip(page, live_server, demo) -> None:
    base = live_server.url
    login(page, base, "officer")
    page.goto(f"{base}/projects/board/")
    heads = page.locator("section.board-column h2 span").all_inner_texts()
    assert "装修" in heads and "拿地" not in heads
    # One row: every column's top edge on the same line, the row scrolling sideways.
    tops = {
        round(box["y"])
        for box in (c.bounding_box() for c in page.locator("section.board-column").all())
        if box
    }
    assert len(tops) == 1
    screenshot(page, "project-board-space")

    page.click(".board-paths a[href*='path=land']")
    page.wait_for_url("**path=land**")
    heads = page.locator("section.board-column h2 span").all_inner_texts()
    assert heads[4:7] == ["拿地", "动工", "竣工"] and "装修" not in heads
    screenshot(page, "project-board-land")

    # A phone: a strip of counts; tapping one opens that column alone.
    page.set_viewport_size({"width": 390, "height": 844})
    strip = page.locator(".board-strip a")
    assert strip.count() == len(heads)
    assert page.locator("section.board-column:visible").count() == 1
    page.click(".board-strip a[href*='stage=construction']")
    page.wait_for_url("**stage=construction**")
    visible = page.locator("section.board-column:visible")
    assert visible.count() == 1
    assert visible.locator("h2 span").inner_text() == "动工"
    assert page.locator(".board-strip a.current").inner_text().startswith("动工")
    screenshot(page, "project-board-phone")
