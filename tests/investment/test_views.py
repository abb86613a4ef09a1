"""The leads pages: list filters, sorting, export, the lead's file and its forms."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override
from python_calamine import CalamineWorkbook

from gaoxin.core.inbox import sections_for
from gaoxin.investment import services
from gaoxin.investment.models import Lead
from tests.factories import (
    ChainSegmentFactory,
    IndustryFactory,
    LeadFactory,
    ProjectFactory,
    make_uscc,
)

IDLE_BADGE = "No follow-up for 60 days"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


@pytest.fixture
def leads(zone, other_zone, users):
    today = timezone.localdate()
    storage = IndustryFactory(zone=zone, name="储能")
    sensors = IndustryFactory(zone=zone, name="传感器")
    return {
        "storage": storage,
        "sensors": sensors,
        "fresh": LeadFactory(
            zone=zone,
            company_name="甲储能科技有限公司",
            uscc=make_uscc(801),
            industry=storage,
            officer=users["officer"],
            source="fair",
            expected_investment=Decimal("300000000"),
        ),
        "idle": LeadFactory(
            zone=zone,
            company_name="乙传感器股份有限公司",
            industry=sensors,
            officer=users["officer"],
            status="contacted",
            last_activity_on=today - dt.timedelta(days=61),
            expected_investment=Decimal("50000000"),
        ),
        "old_but_closed": LeadFactory(
            zone=zone,
            company_name="丙医疗器械有限公司",
            officer=users["admin"],
            status="abandoned",
            abandon_reason="已在外地落户",
            last_activity_on=today - dt.timedelta(days=200),
        ),
        "away": LeadFactory(zone=other_zone, company_name="外区目标企业"),
    }


def _names(body: str, leads) -> set[str]:
    return {
        key
        for key in ("fresh", "idle", "old_but_closed", "away")
        if leads[key].company_name in body
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, {"fresh", "idle", "old_but_closed"}),
        ({"q": "传感"}, {"idle"}),
        ({"q": make_uscc(801)[:10].lower()}, {"fresh"}),
        ({"status": "contacted"}, {"idle"}),
        ({"status": "open"}, {"fresh", "idle"}),
        ({"source": "fair"}, {"fresh"}),
        ({"idle": "1"}, {"idle"}),
    ],
)
def test_list_filters(client_as, leads, query, found) -> None:
    body = client_as("department").get("/leads/", query).content.decode()
    assert _names(body, leads) == found


def test_list_filters_by_industry_and_officer(client_as, leads, users) -> None:
    client = client_as("leader")
    body = client.get("/leads/", {"industry": leads["storage"].pk}).content.decode()
    assert _names(body, leads) == {"fresh"}
    body = client.get("/leads/", {"officer": users["admin"].pk}).content.decode()
    assert _names(body, leads) == {"old_but_closed"}


def test_list_flags_idle_open_leads_only(client_as, leads) -> None:
    body = client_as("officer").get("/leads/").content.decode()
    rows = {
        key: body.split(leads[key].company_name)[1].split("</tr>")[0]
        for key in leads
        if key not in ("storage", "sensors", "away")
    }
    assert IDLE_BADGE in rows["idle"]
    assert IDLE_BADGE not in rows["fresh"]
    assert IDLE_BADGE not in rows["old_but_closed"]


def test_list_sorts_by_investment_and_status(client_as, leads) -> None:
    client = client_as("officer")
    body = client.get("/leads/", {"sort": "-investment"}).content.decode()
    assert body.index("甲储能") < body.index("乙传感器")
    body = client.get("/leads/", {"sort": "investment"}).content.decode()
    assert body.index("乙传感器") < body.index("甲储能")
    body = client.get("/leads/", {"sort": "status"}).content.decode()
    assert body.index("甲储能") < body.index("乙传感器") < body.index("丙医疗")


def test_list_shows_counts_by_status(client_as, leads) -> None:
    body = client_as("officer").get("/leads/").content.decode()
    assert "3 leads" in body
    assert "In contact (接洽) 1" in body and "Abandoned (放弃) 1" in body


def test_list_answers_htmx_with_the_results_only(client_as, leads) -> None:
    response = client_as("officer").get("/leads/", {"q": "甲"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "甲储能科技有限公司" in body and "<html" not in body


def test_enterprise_users_may_not_see_leads(client_as, leads) -> None:
    client = client_as("enterprise")
    assert client.get("/leads/").status_code == 403
    assert client.get(f"/leads/{leads['fresh'].pk}/").status_code == 404


def test_list_query_count_does_not_grow_with_rows(
    zone, client_as, users, leads, django_assert_max_num_queries
) -> None:
    segment = ChainSegmentFactory(industry=leads["storage"])
    for n in range(60):
        LeadFactory(
            zone=zone,
            industry=leads["storage"],
            segment=segment,
            officer=users["officer"],
            company_name=f"批量目标企业{n:02d}",
        )
    client = client_as("officer")
    with django_assert_max_num_queries(14):
        response = client.get("/leads/", {"sort": "company", "status": "open"})
    assert response.status_code == 200
    assert response.content.decode().count('class="name"') == 50


def test_export_writes_the_filtered_list_and_escapes_formulas(zone, client_as, leads) -> None:
    LeadFactory(
        zone=zone, company_name='=HYPERLINK("http://x")公司', officer=leads["fresh"].officer
    )
    response = client_as("officer").get("/leads/", {"status": "open", "export": "xlsx"})
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[1][0] == "Target company"
    names = {row[0] for row in rows[2:]}
    assert names == {"甲储能科技有限公司", "乙传感器股份有限公司", '=HYPERLINK("http://x")公司'}
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["甲储能科技有限公司"][8] == 300000000
    assert by_name["乙传感器股份有限公司"][12] == "Yes"


def test_create_a_lead_from_an_industry_map_segment(client_as, zone, users) -> None:
    industry = IndustryFactory(zone=zone, name="储能")
    segment = ChainSegmentFactory(industry=industry, name="储能电池")
    client = client_as("officer")
    page = client.get("/leads/new/", {"segment": segment.pk}).content.decode()
    # The segment's option carries its industry (the dependent choice) and is chosen; look at
    # each select's own options, since an industry and a segment may share a pk.
    segment_select = re.search(r'<select name="segment".*?</select>', page, re.S)
    industry_select = re.search(r'<select name="industry".*?</select>', page, re.S)
    assert segment_select and industry_select
    chosen = re.search(rf'<option value="{segment.pk}"([^>]*)>', segment_select.group())
    assert chosen and " selected" in chosen.group(1)
    assert f'data-parent="{industry.pk}"' in chosen.group(1)
    assert re.search(rf'<option value="{industry.pk}"[^>]* selected', industry_select.group())
    response = client.post(
        f"/leads/new/?segment={segment.pk}",
        {
            "company_name": "丁电池有限公司",
            "industry": industry.pk,
            "segment": segment.pk,
            "source": "chain_gap",
            "officer": users["officer"].pk,
            "expected_investment": "1.2亿",
        },
    )
    lead = Lead.objects.get(company_name="丁电池有限公司")
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert lead.zone == zone and lead.segment == segment
    assert lead.expected_investment == 120_000_000


def test_an_administrator_with_several_zones_picks_one_first_unless_a_segment_says(
    client_as, zone, other_zone
) -> None:
    client = client_as("admin")
    response = client.get("/leads/new/")
    assert response.status_code == 302 and response["Location"] == "/leads/"
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=other_zone))
    response = client.get("/leads/new/", {"segment": segment.pk})
    assert response.status_code == 200
    assert other_zone.name in response.content.decode()


def test_create_shows_the_service_refusal_on_the_form(client_as, users) -> None:
    response = client_as("officer").post(
        "/leads/new/",
        {
            "company_name": "戊公司",
            "uscc": "91440400000000001X",
            "source": "agent",
            "officer": users["officer"].pk,
        },
    )
    assert response.status_code == 200
    assert "check character" in response.content.decode()
    assert not Lead.objects.filter(company_name="戊公司").exists()


def test_edit_saves_and_a_refusal_leaves_the_lead_as_stored(client_as, leads, users) -> None:
    lead = leads["fresh"]
    client = client_as("officer")
    data = {
        "company_name": lead.company_name,
        "uscc": lead.uscc,
        "source": lead.source,
        "officer": users["officer"].pk,
        "contact_person": "王总",
        "version": lead.version,
    }
    assert client.post(f"/leads/{lead.pk}/edit/", data).status_code == 302
    lead.refresh_from_db()
    assert lead.contact_person == "王总"
    response = client.post(
        f"/leads/{lead.pk}/edit/",
        {**data, "officer": users["leader"].pk, "version": lead.version},
    )
    assert response.status_code == 200
    assert "changed by" not in response.content.decode()
    lead.refresh_from_db()
    assert lead.officer == users["officer"]


def test_detail_shows_contacts_history_segment_link_and_the_convert_button(
    client_as, leads, users
) -> None:
    lead = leads["fresh"]
    services.contact_add(
        lead=lead, by=users["officer"], kind="visit", on=timezone.localdate(), notes="首次拜访纪要"
    )
    body = client_as("officer").get(f"/leads/{lead.pk}/").content.decode()
    assert "首次拜访纪要" in body
    assert "Change history" in body
    assert f'href="/industries/{leads["storage"].pk}/"' in body
    assert f'action="/leads/{lead.pk}/contacts/add/"' in body
    # The conversion page belongs to the projects app; the button shows once it exists.
    from django.urls import NoReverseMatch, reverse

    try:
        convert_url = reverse("projects:from_lead", args=[lead.pk])
    except NoReverseMatch:
        convert_url = None
    if convert_url:
        assert convert_url in body
    reader = client_as("leader").get(f"/leads/{lead.pk}/").content.decode()
    assert "Record a contact" not in reader and "Sign and create the project" not in reader


def test_detail_links_the_project_made_from_the_lead(client_as, leads, zone, users) -> None:
    lead = leads["fresh"]
    services.lead_mark_signed(lead=lead, by=users["officer"])
    project = ProjectFactory(zone=zone, industry=leads["storage"], lead=lead, name="甲储能项目")
    body = client_as("officer").get(f"/leads/{lead.pk}/").content.decode()
    assert "甲储能项目" in body
    assert "Sign and create the project" not in body
    assert project.name in body


def test_contact_add_records_and_reports_errors(client_as, leads) -> None:
    lead = leads["idle"]
    client = client_as("officer")
    today = timezone.localdate()
    response = client.post(
        f"/leads/{lead.pk}/contacts/add/",
        {
            "contact-kind": "inspection",
            "contact-on": today.isoformat(),
            "contact-notes": "考察工厂",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.last_activity_on == today and lead.contacts.count() == 1
    future = (today + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/leads/{lead.pk}/contacts/add/",
        {"contact-kind": "call", "contact-on": future, "contact-notes": "x"},
        follow=True,
    )
    assert "future" in response.content.decode()
    assert lead.contacts.count() == 1


def test_a_contact_that_moves_the_lead_says_so(client_as, leads) -> None:
    fresh, idle = leads["fresh"], leads["idle"]
    client = client_as("officer")
    page = client.get(f"/leads/{fresh.pk}/").content.decode()
    assert "Recording a contact moves this lead from Lead (线索) to 接洽." in page
    today = timezone.localdate().isoformat()
    contact = {"contact-kind": "visit", "contact-on": today, "contact-notes": "初次拜访"}
    body = client.post(f"/leads/{fresh.pk}/contacts/add/", contact, follow=True).content.decode()
    assert "the lead&#x27;s status moved from Lead (线索) to In contact (接洽)." in body
    fresh.refresh_from_db()
    assert fresh.status == "contacted"
    # A contact that leaves the status as it was says only that it was recorded.
    body = client.post(f"/leads/{idle.pk}/contacts/add/", contact, follow=True).content.decode()
    assert "The contact was recorded." in body and "status moved" not in body
    assert "Recording a contact moves" not in client.get(f"/leads/{idle.pk}/").content.decode()


def test_status_change_and_abandon_with_reason_and_confirmation(client_as, leads) -> None:
    lead = leads["fresh"]
    client = client_as("officer")
    response = client.post(
        f"/leads/{lead.pk}/status/", {"status": "visited", "version": lead.version}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "visited"
    version = lead.version
    response = client.post(f"/leads/{lead.pk}/status/", {"status": "abandoned", "version": version})
    assert response.status_code == 200 and "why" in response.content.decode()
    response = client.post(
        f"/leads/{lead.pk}/status/",
        {"status": "abandoned", "reason": "投资方资金链断裂", "version": version},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'name="confirm"' in body
    assert f'name="version" value="{version}"' in body  # the confirmation keeps the version
    lead.refresh_from_db()
    assert lead.status == "visited"
    response = client.post(
        f"/leads/{lead.pk}/status/",
        {"status": "abandoned", "reason": "投资方资金链断裂", "confirm": "1", "version": version},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.abandon_reason) == ("abandoned", "投资方资金链断裂")


def test_status_page_does_not_offer_signing(client_as, leads) -> None:
    lead = leads["fresh"]
    client = client_as("officer")
    body = client.get(f"/leads/{lead.pk}/status/").content.decode()
    assert 'value="signed"' not in body
    response = client.post(f"/leads/{lead.pk}/status/", {"status": "signed"})
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.status == "new"


def test_nav_shows_leads_to_staff(client_as, leads) -> None:
    assert 'href="/leads/"' in client_as("department").get("/").content.decode()
    assert 'href="/leads/"' not in client_as("enterprise").get("/").content.decode()


def test_inbox_lists_the_officers_own_idle_leads(zone, users, leads) -> None:
    today = timezone.localdate()
    for n in range(12):
        LeadFactory(
            zone=zone,
            officer=users["officer"],
            company_name=f"久未跟进{n:02d}",
            last_activity_on=today - dt.timedelta(days=70 + n),
        )
    sections = [s for s in sections_for(users["officer"]) if "60 days" in str(s.title)]
    assert len(sections) == 1
    section = sections[0]
    assert len(section.items) == 10
    assert section.items[0]["title"] == "久未跟进11"  # the longest idle first
    assert section.more_url.startswith("/leads/?idle=1")
    assert not [s for s in sections_for(users["leader"]) if "60 days" in str(s.title)]
    assert not [s for s in sections_for(users["outsider"]) if "60 days" in str(s.title)]


def test_admin_lists_leads_and_contacts_with_history(client_as, leads, users) -> None:
    services.contact_add(
        lead=leads["fresh"], by=users["officer"], kind="call", on=timezone.localdate(), notes="电话"
    )
    client = client_as("admin")
    for path in (
        "/admin/investment/lead/",
        "/admin/investment/leadcontact/",
        f"/admin/investment/lead/{leads['fresh'].pk}/history/",
    ):
        assert client.get(path).status_code == 200, path


def test_lead_form_labels_segments_by_strength_in_bounded_queries(
    zone, client_as, leads, django_assert_max_num_queries
) -> None:
    """The segment picker says each segment's strength (缺 with no enterprise, 强 above the
    industry's weak_max), read in one query whatever the number of segments and enterprises
    (through the figures cache outside a test's own writes)."""
    from tests.factories import EnterpriseFactory

    storage = leads["storage"]
    storage.weak_max = 1
    storage.save()
    empty = ChainSegmentFactory(industry=storage, name="电芯")
    full = ChainSegmentFactory(industry=storage, name="储能系统集成")
    for _ in range(3):
        EnterpriseFactory(zone=zone).segments.add(full)
    client = client_as("officer")
    with django_assert_max_num_queries(14):
        body = client.get("/leads/new/").content.decode()
    storage_id = storage.pk
    assert f'value="{empty.pk}" data-parent="{storage_id}">储能 · 电芯 [缺]<' in body
    assert f'value="{full.pk}" data-parent="{storage_id}">储能 · 储能系统集成 [强]<' in body
    for n in range(20):
        ChainSegmentFactory(industry=leads["sensors"], name=f"环节{n:02d}")
    with django_assert_max_num_queries(14):
        body = client.get(f"/leads/{leads['fresh'].pk}/edit/").content.decode()
    assert body.count(" [缺]<") == 21
