"""The policy pages: the list (filters, sort, export, figures), adding with an upload, the
download and who may have it."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from python_calamine import CalamineWorkbook

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.core.roles import Role
from gaoxin.policies import metrics, services  # noqa: F401  (metrics registers the figures)
from gaoxin.policies.models import Policy
from tests.factories import EnterpriseFactory, PolicyFactory, UserFactory

PDF = b"%PDF-1.4\n% a policy document\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def with_file(zone, users) -> Policy:
    return services.policy_create(
        zone=zone,
        by=users["officer"],
        title="关于支持专精特新企业发展的若干措施",
        issuer="珠海高新区管委会",
        issued_on=dt.date(2023, 2, 1),
        attachment=SimpleUploadedFile("专精特新措施.pdf", PDF, content_type="text/html"),
    )


# --- the download --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "leader", "department", "enterprise"])
def test_readers_of_the_zone_download_with_the_chinese_name(client_as, with_file, role) -> None:
    response = client_as(role).get(f"/policies/{with_file.pk}/attachment/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('专精特新措施.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_enterprise_user_of_another_zone_gets_404(client, other_zone, with_file) -> None:
    stranger = UserFactory(
        username="t-away-ent",
        role=Role.ENTERPRISE,
        zones=[other_zone],
        enterprise=EnterpriseFactory(zone=other_zone),
    )
    client.force_login(stranger)
    assert client.get(f"/policies/{with_file.pk}/attachment/").status_code == 404
    assert client.get(f"/policies/{with_file.pk}/").status_code == 404


def test_an_officer_of_another_zone_gets_404(client_as, with_file) -> None:
    assert client_as("outsider").get(f"/policies/{with_file.pk}/attachment/").status_code == 404


def test_anonymous_is_sent_to_log_in(client, with_file) -> None:
    response = client.get(f"/policies/{with_file.pk}/attachment/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_policy_without_attachment_or_with_its_file_gone_answers_404(
    client_as, zone, with_file
) -> None:
    bare = PolicyFactory(zone=zone)
    assert client_as("officer").get(f"/policies/{bare.pk}/attachment/").status_code == 404
    with_file.attachment.storage.delete(with_file.attachment.name)
    assert client_as("officer").get(f"/policies/{with_file.pk}/attachment/").status_code == 404


def test_the_media_folder_has_no_url(client_as, with_file) -> None:
    response = client_as("officer").get(f"/media/{with_file.attachment.name}")
    assert response.status_code == 404


# --- adding and editing --------------------------------------------------------------------


def form_data(**overrides):
    return {
        "title": "关于促进储能产业发展的若干措施",
        "document_no": "珠高管〔2023〕8号",
        "issuer": "珠海高新区管委会",
        "issued_on": "2023-05-10",
        "kind": "industry",
        "is_active": "on",
        "summary": "",
    } | overrides


def test_an_officer_adds_a_policy_with_its_document(client_as, zone) -> None:
    data = form_data(attachment=SimpleUploadedFile("储能措施.docx.pdf", PDF))
    response = client_as("officer").post("/policies/new/", data)
    policy = Policy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/policies/{policy.pk}/"
    assert policy.zone == zone
    assert policy.attachment_name == "储能措施.docx.pdf"


def test_a_bad_upload_is_shown_on_the_form_and_nothing_is_written(client_as) -> None:
    data = form_data(attachment=SimpleUploadedFile("通知.pdf", EXE, content_type="application/pdf"))
    response = client_as("officer").post("/policies/new/", data)
    assert response.status_code == 200
    assert "not a PDF or Word document" in response.content.decode()
    assert not Policy.objects.exists()


def test_missing_fields_are_named_on_the_form(client_as) -> None:
    response = client_as("officer").post("/policies/new/", form_data(title="", issued_on="x"))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "issued_on"}
    assert not Policy.objects.exists()


def test_editing_replaces_the_document_and_the_page_says_so(client_as, with_file) -> None:
    client = client_as("officer")
    page = client.get(f"/policies/{with_file.pk}/edit/").content.decode()
    assert "专精特新措施.pdf" in page
    data = form_data(
        attachment=SimpleUploadedFile("修订版.pdf", PDF + b"%v2"), version=with_file.version
    )
    assert client.post(f"/policies/{with_file.pk}/edit/", data).status_code == 302
    with_file.refresh_from_db()
    assert with_file.attachment_name == "修订版.pdf"
    assert with_file.history.count() == 2


def test_a_leader_may_read_but_not_edit(client_as, with_file) -> None:
    client = client_as("leader")
    page = client.get(f"/policies/{with_file.pk}/").content.decode()
    assert f"/policies/{with_file.pk}/edit/" not in page
    assert client.post(f"/policies/{with_file.pk}/edit/", form_data()).status_code == 403


def test_the_detail_shows_the_history(client_as, with_file) -> None:
    page = client_as("enterprise").get(f"/policies/{with_file.pk}/").content.decode()
    assert "Change history" in page
    assert "专精特新措施.pdf" in page


# --- the list ------------------------------------------------------------------------------


@pytest.fixture
def some_policies(zone, other_zone):
    return {
        "old": PolicyFactory(
            zone=zone, title="旧政策", issued_on=dt.date(2020, 1, 1), is_active=False
        ),
        "talent": PolicyFactory(
            zone=zone, title="人才新政", kind="talent", issued_on=dt.date(2023, 6, 1)
        ),
        "relief": PolicyFactory(
            zone=zone,
            title="软信纾困措施",
            kind="relief",
            document_no="珠高纾〔2023〕12号",
            issued_on=dt.date(2023, 3, 1),
        ),
        "away": PolicyFactory(zone=other_zone, title="外区政策"),
    }


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["人才新政", "软信纾困措施", "旧政策"]),
        ({"q": "珠高纾〔2023〕12"}, ["软信纾困措施"]),
        ({"kind": "talent"}, ["人才新政"]),
        ({"in_force": "0"}, ["旧政策"]),
        ({"issued_from": "2023-01-01", "issued_to": "2023-04-01"}, ["软信纾困措施"]),
        ({"sort": "issued"}, ["旧政策", "软信纾困措施", "人才新政"]),
    ],
)
def test_the_list_filters_and_sorts(client_as, some_policies, query, expected) -> None:
    assert titles(client_as("enterprise").get("/policies/", query)) == expected


def test_a_backwards_period_is_explained(client_as, some_policies) -> None:
    response = client_as("officer").get(
        "/policies/", {"issued_from": "2023-05-01", "issued_to": "2023-01-01"}
    )
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()
    assert titles(response) == []


def test_the_list_answers_htmx_with_the_results_only(client_as, some_policies) -> None:
    response = client_as("officer").get("/policies/", {"q": "人才"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "人才新政" in response.content.decode()


def test_the_in_force_figure_links_to_its_records(client_as, some_policies) -> None:
    page = client_as("officer").get("/policies/").content.decode()
    assert "/metrics/policies.in_force/" in page
    records = client_as("officer").get("/metrics/policies.in_force/")
    assert records.status_code == 200
    assert records.context["value"] == 2


def test_metric_in_force_counts_policies_issued_by_the_date(zone, some_policies) -> None:
    metric = registry.get("policies.in_force")
    assert metric.value(MetricScope.of([zone.pk], dt.date(2023, 4, 1))) == 1
    assert metric.value(MetricScope.of([zone.pk], dt.date(2023, 7, 1))) == 2


def test_export_writes_the_filtered_list(client_as, some_policies) -> None:
    response = client_as("officer").get("/policies/", {"kind": "relief", "export": "xlsx"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[1][:3] == ["Title", "Document number", "Issuer"]
    assert [r[0] for r in rows[2:]] == ["软信纾困措施"]


def test_the_list_runs_a_bounded_number_of_queries(
    client_as, zone, django_assert_max_num_queries
) -> None:
    for n in range(70):
        PolicyFactory(zone=zone, attachment=f"policies/2023/{n}.pdf", attachment_name=f"{n}.pdf")
    client = client_as("officer")
    with django_assert_max_num_queries(12):
        response = client.get("/policies/", {"sort": "title"})
    assert response.status_code == 200
    assert response.content.decode().count('class="name"') == 50
    assert response.context["page"].has_next()


def test_enterprise_users_home_lists_the_newest_policies_of_their_zone(
    users, some_policies
) -> None:
    from gaoxin.policies.selectors import recent_policies_section

    section = recent_policies_section(users["enterprise"])
    assert [item["title"] for item in section.items] == ["人才新政", "软信纾困措施"]
    assert section.more_url == "/policies/"
    assert recent_policies_section(users["officer"]) is None
