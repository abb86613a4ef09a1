"""One way to serve a list page: a filter form, the selector it feeds, a page of the rows (a
full page, or the results fragment for htmx), or the whole list as .xlsx (`?export=xlsx`).

A list never counts all its rows to show a page: it reads one row more than it shows
(core/pagination.py `LookaheadPage`) and counts at most COUNT_CAP.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from gaoxin.core.access import WRITERS, role_of
from gaoxin.core.exports import export_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.metrics import Column
from gaoxin.core.pagination import LookaheadPage, capped_count, lookahead_page, query_without_page


@dataclass(frozen=True)
class Export:
    """A list's sheet: its columns, and the name its title and file are made of (or the title
    and file name it is given; see exports.export_response)."""

    columns: Sequence[Column]
    name: Promise | str
    title: str | None = None
    filename: str | None = None
    all_rows: bool = False


def filtered(
    form: forms.Form, search: Callable[..., QuerySet[Any]], model: type[Model]
) -> QuerySet[Any]:
    """The rows the filter form asks for: `search(**form.search_arguments())`, none when the
    form is invalid (the page shows the form's errors and an empty list)."""
    if not form.is_valid():
        return model._default_manager.none()
    return search(**form.search_arguments())  # type: ignore[attr-defined]


def render_list(
    request: AuthedRequest,
    form: forms.Form,
    queryset: QuerySet[Any],
    *,
    template: str,
    fragment: str | None = None,
    export: Export | None = None,
    default_sort: str = "name",
    page_rows: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
    extra: Callable[[LookaheadPage], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The list page for `queryset` (already filtered by `form`): the .xlsx when asked for
    `?export=xlsx` and the list has an export (a background job's page when it is a large
    one, exports.export_response), else the page asked for, rendered with
    `fragment` for an htmx request when there is one. `page_rows` narrows the query of the
    shown rows (only(), select_related()); `extra` adds to the context from the page.

    The context holds form, page, total, more (the count was capped), query (the query string
    without the page), sort and can_write."""
    if export is not None and request.GET.get("export") == "xlsx":
        return export_response(
            queryset,
            export.columns,
            name=export.name,
            title=export.title,
            filename=export.filename,
            all_rows=export.all_rows,
            request=request,
        )
    page = lookahead_page(request, page_rows(queryset) if page_rows else queryset)
    total, more = capped_count(queryset, page)
    sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or default_sort
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "query": query_without_page(request),
        "sort": sort,
        "can_write": role_of(request.user) in WRITERS,
    }
    if extra is not None:
        context.update(extra(page))
    return render(request, fragment if fragment and request.htmx else template, context)
