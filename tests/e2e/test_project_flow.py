"""An officer takes a lead to a signed project, moves it on with its evidence, records a blocker
for a department, and the department user resolves it from their inbox."""

from __future__ import annotations

import datetime as dt

from tests.e2e.conftest import login, screenshot


def test_lead_to_project_to_stage_to_resolved_blocker(page, live_server, demo) -> None:
    from gaoxin.accounts.models import Department
    from gaoxin.demo import scenario
    from gaoxin.projects.models import Blocker, Project
    from tests.factories import make_uscc

    base = live_server.url
    today = dt.date.today().isoformat()
    login(page, base, "officer")

    # A new lead for a missing segment of the 储能 chain.
    page.goto(f"{base}/leads/new/")
    page.fill("#id_company_name", "远航储能科技股份有限公司")
    page.select_option("#id_source", "chain_gap")
    page.select_option("#id_industry", label="储能")
    page.fill("#id_expected_investment", "3亿")  # typed as officials write it
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/leads/*/")
    assert "远航储能科技股份有限公司" in page.inner_text("h1")

    # Signed: the lead becomes a project in one step.
    page.click("a[href*='/projects/from-lead/']")
    page.fill("#id_name", "远航储能系统集成项目")
    page.select_option("#id_carrier", "space")
    page.fill("#id_signed_on", today)
    assert page.input_value("#id_planned_investment") == "30000"  # the lead's 3亿, in 万元
    page.fill("#id_fixed_asset_investment", "18000")  # 万元
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/projects/*/")
    project = Project.objects.get(name="远航储能系统集成项目")
    assert project.stage == "signed"
    assert project.lead.status == "signed"
    assert project.planned_investment == 300_000_000
    assert project.fixed_asset_investment == 180_000_000
    screenshot(page, "project-signed")

    # 注册 asks for the credit code; without it the form says so and nothing moves.
    page.click(f"a[href='/projects/{project.pk}/stage/']")
    page.select_option("#id_to_stage", "registered")
    page.fill("#id_on", today)
    page.click("form button[type=submit].btn-primary")
    assert page.locator(".form-errors, .field-error").count() > 0
    project.refresh_from_db()
    assert project.stage == "signed"
    page.fill("#id_uscc", make_uscc(4242))
    page.fill("#id_company_name", "珠海远航储能科技有限公司")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/projects/{project.pk}/")
    project.refresh_from_db()
    assert project.stage == "registered"
    assert project.enterprise.uscc == make_uscc(4242)
    assert page.locator(".stage-path li.current").count() == 1

    # A blocker for 自然资源局, due yesterday: overdue at once.
    page.click(f"a[href='/blockers/new/{project.pk}/']")
    page.fill("#id_description", "厂房消防验收资料未齐")
    department = Department.objects.get(zone__code=scenario.ZONE_CODE, name="自然资源局")
    page.select_option("#id_department", str(department.pk))
    page.fill("#id_raised_on", (dt.date.today() - dt.timedelta(days=3)).isoformat())
    page.fill("#id_due_on", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.click("form button[type=submit].btn-primary")
    page.wait_for_load_state()
    blocker = Blocker.objects.get(description="厂房消防验收资料未齐")
    assert blocker.status == "open"

    # The department user finds it in their inbox and resolves it.
    page.context.clear_cookies()
    login(page, base, "dept")
    assert "厂房消防验收资料未齐" in page.inner_text("main")
    page.click(f"a[href='/blockers/{blocker.pk}/']")
    screenshot(page, "blocker-from-inbox")
    page.select_option("#id_status", "resolved")
    page.fill("#id_resolution", "资料已补齐，消防验收通过")
    page.click(f"form[action='/blockers/{blocker.pk}/status/'] button[type=submit]")
    page.wait_for_url(f"{base}/blockers/{blocker.pk}/")
    blocker.refresh_from_db()
    assert blocker.status == "resolved" and blocker.closed_on == dt.date.today()
    assert blocker.history.filter(status="resolved").first().history_user.username == "dept"

    # The board (the space path, this project's) counts 注册 by the figure of that name, which
    # opens exactly its projects.
    page.goto(f"{base}/projects/board/")
    column = page.locator("section.board-column", has_text="注册").first
    count = int(column.locator(".board-count").inner_text())
    zone = project.zone
    registered = Project.objects.filter(zone=zone, stage="registered", carrier=project.carrier)
    assert count == registered.count() >= 1
    screenshot(page, "project-board")
    column.locator(".board-count").click()
    page.wait_for_url(f"{base}/metrics/projects.space.current.registered/*")
    assert int(page.inner_text(".page-head .figure").rstrip("个")) == count
    assert page.locator("#records tbody tr").count() == count
    assert "远航储能系统集成项目" in page.inner_text("#records")
