"""An enterprise user follows a link to a page their role may not open (the dashboard) and is
shown the way back; applies to an open campaign, saves the draft (保存草稿), attaches a
document and submits the application (提交申报); an officer reviews it through to 认定通过,
and the designation appears on the enterprise's page."""

from __future__ import annotations

import datetime as dt

from tests.e2e.conftest import login, screenshot


def test_enterprise_applies_officer_approves_designation_appears(page, live_server, demo) -> None:
    from gaoxin.accounts.models import Zone
    from gaoxin.campaigns.models import Application
    from gaoxin.campaigns.services import designation_expires_on
    from gaoxin.demo import scenario
    from gaoxin.enterprises.models import Enterprise
    from tests.factories import CampaignFactory

    base = live_server.url
    today = dt.date.today()
    zone = Zone.objects.get(code=scenario.ZONE_CODE)
    campaign = CampaignFactory(
        zone=zone,
        name="2024年广东省专精特新中小企业申报（演示）",
        designation_kind="specialised_sme",
        designation_level="provincial",
        validity_years=3,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
        eligibility="近两年研发费用总额均不低于100万元。",
    )
    enterprise = Enterprise.objects.get(zone=zone, name="珠海示范储能科技有限公司")

    # A link to the dashboard answers a page in the site's frame: what happened, their
    # navigation (我的企业 in it) and the way home.
    login(page, base, "enterprise")
    response = page.goto(f"{base}/dashboard/")
    assert response is not None and response.status == 403
    assert "无权访问" in page.inner_text("main h1")
    assert "我的企业" in page.inner_text("header .mainnav")
    assert page.locator(".refusal-links a[href='/campaigns/']").count() == 1
    screenshot(page, "refusal-403-enterprise")
    with page.expect_navigation():
        page.click(".refusal a.btn-primary")
    assert page.url == f"{base}/"

    # The enterprise user finds the open campaign and starts an application.
    page.goto(f"{base}/campaigns/")
    assert campaign.name in page.inner_text("main")
    page.click(f"a[href='/campaigns/{campaign.pk}/apply/']")
    page.wait_for_url(f"{base}/campaigns/{campaign.pk}/apply/")
    page.fill("#id_contact_person", "赵经理")
    page.fill("#id_contact_phone", "0756-3300000")
    page.fill("#id_statement", "公司近两年研发费用分别为320万元、410万元，拥有发明专利6项。")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/campaigns/applications/*/")
    application = Application.objects.get(campaign=campaign, enterprise=enterprise)
    assert application.status == "draft"

    # 保存草稿 only saves; 提交申报 is the other button.
    page.fill("#id_statement", "公司近两年研发费用分别为320万元、410万元，拥有发明专利7项。")
    assert page.inner_text("#save-draft") == "保存草稿"
    assert page.inner_text("#submit-form button[type=submit]") == "提交申报"
    with page.expect_navigation():
        page.click("#save-draft")
    application.refresh_from_db()
    assert application.status == "draft" and "发明专利7项" in application.statement

    # A document is attached to the draft.
    page.set_input_files(
        "#attachment-form input[type=file]",
        files=[
            {
                "name": "研发费用专项审计报告.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%audit\n",
            }
        ],
    )
    with page.expect_navigation():
        page.click("#attachment-form button[type=submit]")
    assert "研发费用专项审计报告.pdf" in page.inner_text("#attachments")
    assert application.attachments.count() == 1
    screenshot(page, "application-draft-attached")

    # Submitting asks for a confirmation first.
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("input[name=confirm]", state="attached")
    application.refresh_from_db()
    assert application.status == "draft"
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert "已提交" in page.inner_text(".page-head")
    # Submitted: the attachment stays, and can no longer be removed.
    assert "研发费用专项审计报告.pdf" in page.inner_text("#attachments")
    assert page.locator("#attachment-form, .attachment-remove").count() == 0
    screenshot(page, "application-submitted")

    # The officer reviews it: 区级审核, 推荐上报, then 认定通过 after a confirmation.
    page.context.clear_cookies()
    login(page, base, "officer")
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    page.click(f"#results a[href='/campaigns/applications/{application.pk}/']")
    page.wait_for_url(f"{base}/campaigns/applications/{application.pk}/")
    for status in ("zone_review", "recommended"):
        page.select_option("#id_to_status", status)
        page.fill("#id_on", today.isoformat())
        with page.expect_navigation():
            page.click("#move-form button[type=submit]")
        application.refresh_from_db()
        assert application.status == status
    page.select_option("#id_to_status", "approved")
    page.fill("#id_on", today.isoformat())
    page.fill("#id_note", "经省工信厅认定，列入省级专精特新中小企业名单。")
    with page.expect_navigation():
        page.click("#move-form button[type=submit]")
    application.refresh_from_db()
    assert application.status == "recommended"  # not yet: the page asks to confirm
    screenshot(page, "application-approve-confirm")
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/campaigns/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == "approved"
    designation = application.designation
    assert designation.granted_on == today
    assert designation.expires_on == designation_expires_on(today, 3)

    # The designation is on the enterprise's page.
    page.goto(f"{base}/enterprises/{enterprise.pk}/")
    designations = page.locator("section.panel", has_text="资质认定").first.inner_text()
    assert "省级专精特新中小企业" in designations
    assert today.isoformat() in designations
    screenshot(page, "application-designation")
