"""The faster rendering writes what the slower one wrote, to the byte: the remembered `{% url %}`
(core/reversing.py, a template builtin), the `display` filter in place of
`get_<field>_display`, the blocker badge written out per row instead of included, the zone
switcher's zones read once per request. Each list and page is rendered on seeded data both
ways: by the site's engine, and by a plain Django engine (Django's own `{% url %}`) from the
template source as it was (the changes undone in the text)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Engine, engines
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from gaoxin.core import nav
from gaoxin.core.access import user_zones
from gaoxin.core.reversing import remembered_reverse
from gaoxin.core.templatetags.gaoxin import display
from gaoxin.enterprises.models import Designation, DesignationKind, Enterprise
from gaoxin.projects.models import Blocker, BlockerStatus, Project
from gaoxin.projects.stages import Carrier, Stage
from tests.factories import DepartmentFactory, DesignationFactory, EnterpriseFactory, ProjectFactory

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)

BADGE = (
    "<span class=\"badge{% if b.status == 'resolved' %} badge-ok{% elif b.status == "
    "'unresolvable' %} badge-muted{% elif b.status == 'open' %} badge-warn{% endif %}\">"
    '{{ b|display:"status" }}</span>\n'
)


def _as_it_was(source: str) -> str:
    """The template source before the change: the badge included, get_<field>_display."""
    source = source.replace(
        BADGE, '{% include "projects/blocker_status_badge.html" with blocker=b %}'
    )
    return re.sub(r'(\w+)\|display:"(\w+)"', r"\1.get_\2_display", source)


def _plain_engine() -> Engine:
    """Django's engine as the site configures it, without the site's builtins."""
    ours = engines["django"].engine
    return Engine(
        app_dirs=True,
        context_processors=ours.context_processors,
        libraries=ours.libraries,
        string_if_invalid=ours.string_if_invalid,
    )


def _source(name: str) -> str:
    template = engines["django"].engine.get_template(name)
    return template.source


def _without_tokens(html: str) -> str:
    """CSRF tokens are masked afresh on every render."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken"', html)


@pytest.fixture
def seeded(zone, other_zone, users) -> dict[str, Any]:
    """Projects at every stage on both carriers, blockers in every status (some overdue),
    enterprises with designations and a closed one; the officer in two zones (the switcher)."""
    officer = users["officer"]
    officer.zones.add(other_zone)
    department = DepartmentFactory(zone=zone, name="住房和城乡建设局")
    projects = []
    for i, stage in enumerate(Stage):
        carrier = Carrier.LAND if i % 2 else Carrier.SPACE
        projects.append(
            ProjectFactory(
                zone=zone, stage=stage, carrier=carrier, officer=officer, name=f"项目<{i}>&"
            )
        )
    for i, status in enumerate(BlockerStatus):
        for project in projects[:3]:
            Blocker.objects.create(
                project=project,
                stage=project.stage,
                description=f"难点 {i} " + "很长的描述" * 15,
                department=department,
                owner=officer if i % 2 else None,
                raised_on=TODAY - 20 * DAY,
                due_on=TODAY + (i - 2) * 3 * DAY,
                status=status,
                closed_on=TODAY if status in ("resolved", "unresolvable") else None,
                resolution="已协调" if status in ("resolved", "unresolvable") else "",
            )
    for i, kind in enumerate(DesignationKind):
        enterprise = EnterpriseFactory(zone=zone, name=f"珠海测试{i}有限公司")
        DesignationFactory(
            enterprise=enterprise,
            kind=kind,
            granted_on=TODAY - 30 * DAY,
            expires_on=TODAY + 300 * DAY,
        )
    closed = EnterpriseFactory(zone=zone, name="珠海测试注销有限公司")
    Enterprise.objects.filter(pk=closed.pk).update(status=Enterprise.Status.CLOSED)
    return {"projects": projects}


PAGES = [
    ("/projects/", "projects/_project_results.html", "officer"),
    ("/projects/?sort=stage", "projects/_project_results.html", "officer"),
    ("/blockers/?status=", "projects/blocker_list_results.html", "officer"),
    ("/enterprises/?q=珠海测试", "enterprises/_enterprise_results.html", "officer"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("url", "fragment", "role"), PAGES)
def test_a_lists_rows_are_written_as_before(
    seeded, client_as, url, fragment, role, language
) -> None:
    client = client_as(role)
    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true", "Accept-Language": language})
    assert response.status_code == 200
    # The page reads only some columns: a column left out would be read row by row (the
    # signed-in user, read whole by the session, aside).
    one_by_one = [
        q["sql"]
        for q in queries
        if re.search(r'WHERE "\w+"\."id" = \d+ LIMIT', q["sql"])
        and '"accounts_user"."password"' not in q["sql"]
    ]
    assert not one_by_one
    ours = response.content.decode()
    assert "<tr>" in ours and 'class="empty"' not in ours  # rows, not the empty line
    context = response.context[0].flatten()
    with translation.override(language):
        before = _plain_engine().from_string(_as_it_was(_source(fragment))).render(Context(context))
    assert ours == before


def test_a_projects_blockers_panel_is_written_as_before(seeded, client_as) -> None:
    project = seeded["projects"][0]
    response = client_as("officer").get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    context = response.context[0].flatten()  # the page's, which the panel is included with
    ours = engines["django"].engine.from_string(_source("projects/_blockers.html"))
    before = _plain_engine().from_string(_as_it_was(_source("projects/_blockers.html")))
    assert "badge-warn" in ours.render(Context(context))
    assert ours.render(Context(context)) == before.render(Context(context))


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("/projects/", "projects/_project_results.html"),
        ("/blockers/", "projects/blocker_list_results.html"),
        ("/projects/board/", None),
    ],
)
def test_a_whole_page_top_bar_included_is_written_as_before(
    seeded, client_as, url, fragment
) -> None:
    """The layout: the areas' links, the zone switcher (two zones), every {% url %}."""
    response = client_as("officer").get(url)
    assert response.status_code == 200
    ours = response.content.decode()
    assert 'class="zone-switch"' in ours and "外园区" in ours
    context = response.context[0].flatten()
    before = _plain_engine().get_template(response.templates[0].name)
    if fragment is not None:
        # The list's rows from the fragment's source as it was.
        _include_instead(
            before, fragment, _plain_engine().from_string(_as_it_was(_source(fragment)))
        )
    assert _without_tokens(ours) == _without_tokens(before.render(Context(context)))


def _include_instead(template: Any, name: str, replacement: Any) -> None:
    """`template`'s {% include name %} renders `replacement` instead."""
    from django.template.loader_tags import IncludeNode

    nodes = [n for n in template.nodelist.get_nodes_by_type(IncludeNode) if n.template.var == name]
    assert nodes
    for node in nodes:
        node.template = _Fixed(replacement)


class _Fixed:
    """A filter expression that resolves to a template."""

    def __init__(self, template: Any) -> None:
        self.template = template

    def resolve(self, context: Any) -> Any:
        return self.template


# --- the pieces ----------------------------------------------------------------------------


def test_display_says_what_get_display_says(seeded) -> None:
    project = Project.objects.first()
    blocker = Blocker.objects.first()
    designation = Designation.objects.first()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for stage in [*Stage, "no-such-stage"]:
                project.stage = stage
                assert display(project, "stage") == project.get_stage_display()
            for carrier in Carrier:
                project.carrier = carrier
                assert display(project, "carrier") == project.get_carrier_display()
            for status in BlockerStatus:
                blocker.status = status
                assert display(blocker, "status") == blocker.get_status_display()
            for kind in DesignationKind:
                designation.kind = kind
                assert display(designation, "kind") == designation.get_kind_display()
    with translation.override("zh-hans"):
        project.stage = Stage.SIGNED
        assert display(project, "stage") == "签约"


def test_the_remembered_reverse_is_reverses_answer(seeded) -> None:
    project = seeded["projects"][0]
    cases = [
        ("projects:list", (), {}),
        ("projects:detail", (project.pk,), {}),
        ("projects:detail", (str(project.pk),), {}),
        ("projects:detail", (), {"pk": project.pk}),
        ("core:metric_detail", ("projects.current.signed",), {}),
        ("set_language", (), {}),
    ]
    for _ in range(2):  # worked out, then remembered
        for name, args, kwargs in cases:
            assert remembered_reverse(name, args=args, kwargs=kwargs) == reverse(
                name, args=args, kwargs=kwargs
            )
    with pytest.raises(NoReverseMatch):
        remembered_reverse("projects:detail", args=("not-a-number",))
    with pytest.raises(NoReverseMatch):
        remembered_reverse("no-such-view")


def test_url_tag_keeps_as_var_and_its_errors(seeded) -> None:
    engine = engines["django"].engine
    template = engine.from_string(
        "{% url 'projects:detail' pk as link %}[{{ link }}]"
        "{% url 'no-such-view' as missing %}[{{ missing }}]{% url 'projects:detail' pk %}"
    )
    pk = seeded["projects"][0].pk
    assert template.render(Context({"pk": pk})) == f"[/projects/{pk}/][]/projects/{pk}/"
    with pytest.raises(NoReverseMatch):
        engine.from_string("{% url 'no-such-view' %}").render(Context({}))


def test_the_areas_link_where_reverse_says(users) -> None:
    for role, user in users.items():
        for item in nav.items_for(user, "/projects/"):
            registered = next(i for i in nav._items if i.label == item["label"])
            assert item["url"] == reverse(registered.url_name), role


def test_a_users_zones_are_read_once_and_follow_a_change(
    users, zone, other_zone, django_assert_num_queries
) -> None:
    officer = users["officer"]
    assert [z.pk for z in user_zones(officer)] == [zone.pk]
    with django_assert_num_queries(0):
        assert [z.pk for z in user_zones(officer)] == [zone.pk]
    officer.zones.add(other_zone)
    officer._gaoxin_zone_ids = None  # as a new request starts afresh
    assert {z.pk for z in user_zones(officer)} == {zone.pk, other_zone.pk}
    zones = user_zones(officer)
    zones.clear()  # a caller's own list
    assert len(user_zones(officer)) == 2
