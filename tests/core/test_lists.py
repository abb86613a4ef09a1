"""The one list helper: the page asked for, the results fragment for htmx, or the sheet."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django import forms
from django.test import RequestFactory
from python_calamine import CalamineWorkbook

from gaoxin.accounts.models import Zone
from gaoxin.core import lists
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column
from tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


class ZoneFilter(forms.Form):
    q = forms.CharField(required=False)
    sort = forms.CharField(required=False)
    level = forms.IntegerField(required=False)

    def search_arguments(self) -> dict[str, Any]:
        return {"q": self.cleaned_data["q"]}


def search(*, q: str) -> Any:
    return Zone.objects.filter(code__startswith=q).order_by("code")


@pytest.fixture
def rendered(monkeypatch) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    def render(request, template, context):
        calls.append((template, context))
        return template

    monkeypatch.setattr(lists, "render", render)
    return calls


def _get(users, params: dict[str, str], **headers: str) -> Any:
    request = RequestFactory().get("/", params, headers=headers)
    request.user = users["officer"]
    request.htmx = bool(headers)
    return request


def _show(request: Any, form: ZoneFilter) -> Any:
    return render_list(
        request,
        form,
        filtered(form, search, Zone),
        template="page.html",
        fragment="_rows.html",
        export=Export([Column("代码", "code")], "园区"),
        extra=lambda page: {"shown": [zone.code for zone in page]},
    )


def test_the_page_holds_the_filtered_rows_and_the_fragment_serves_htmx(users, rendered) -> None:
    for n in range(3):
        ZoneFactory(code=f"list{n}")
    request = _get(users, {"q": "list", "sort": "-code", "page": "1"})
    _show(request, ZoneFilter(request.GET))
    template, context = rendered[-1]
    assert template == "page.html"
    assert context["shown"] == ["list0", "list1", "list2"]
    assert (context["total"], context["more"], context["sort"]) == (3, False, "-code")
    assert context["query"] == "q=list&sort=-code" and context["can_write"]
    request = _get(users, {"q": "list"}, HX_Request="true")
    _show(request, ZoneFilter(request.GET))
    assert rendered[-1][0] == "_rows.html"
    assert rendered[-1][1]["sort"] == "name"  # the default


def test_an_invalid_filter_shows_no_rows(users, rendered) -> None:
    ZoneFactory(code="list9")
    request = _get(users, {"q": "list", "level": "not a number"})
    _show(request, ZoneFilter(request.GET))
    assert rendered[-1][1]["shown"] == []
    assert rendered[-1][1]["form"].errors


def test_the_sheet_is_the_whole_filtered_list(users, rendered) -> None:
    ZoneFactory(code="sheet1")
    request = _get(users, {"q": "sheet", "export": "xlsx"})
    response = _show(request, ZoneFilter(request.GET))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rendered == []


def test_a_sheet_may_have_its_own_title_and_file_name_and_every_row(
    users, rendered, settings
) -> None:
    settings.GAOXIN_EXPORT_MAX_ROWS = 1
    ZoneFactory(code="own1")
    ZoneFactory(code="own2")
    request = _get(users, {"q": "own", "export": "xlsx"})
    form = ZoneFilter(request.GET)
    response = render_list(
        request,
        form,
        filtered(form, search, Zone),
        template="page.html",
        export=Export(
            [Column("代码", "code")], "园区", title="两个园区", filename="z.xlsx", all_rows=True
        ),
    )
    assert "z.xlsx" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python() == [["两个园区"], ["代码"], ["own1"], ["own2"]]
