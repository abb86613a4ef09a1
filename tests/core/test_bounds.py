"""Every number a person types is bounded in the model, its form field and the database; and
whatever refuses a form's write (the service, the model's checks, the database) answers with a
form error, writing nothing and leaving the connection usable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.db import connection, models, transaction
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from gaoxin.accounts.models import Zone
from gaoxin.core.bounds import (
    AREA_MAX,
    COUNT_MAX,
    MONEY_MAX,
    REFUSALS,
    AreaField,
    MoneyField,
    refusal_of,
)
from gaoxin.core.errors import DomainError
from gaoxin.core.forms import save_or_show
from gaoxin.projects.models import Project
from tests.factories import ProjectFactory

APPS = ("projects", "policies", "campaigns", "spaces", "enterprises", "investment", "industries")
# Numbers nobody types as a figure: a list position, the optimistic-lock version, a segment
# threshold (its form bounds it to the column) and an approval's expected days (admin only).
NOT_FIGURES = {"order", "version", "weak_max", "expected_days"}


def _typed_numbers() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, (models.DecimalField, models.IntegerField))
                    and not field.primary_key
                    and not field.is_relation
                    and field.editable
                    and field.name not in NOT_FIGURES
                ):
                    found.append((model, field))
    return found


TYPED = _typed_numbers()


def test_the_inventory_finds_the_figures_the_issue_names() -> None:
    names = {f"{model.__name__}.{field.name}" for model, field in TYPED}
    assert {
        "Project.planned_investment",
        "Project.land_area",
        "Enterprise.registered_capital",
        "Enterprise.employees",
        "Lead.expected_investment",
        "Award.amount",
        "Space.total_floor_area",
        "PlanTarget.target_value",
        "Campaign.validity_years",
    } <= names


@pytest.mark.parametrize("model,field", TYPED, ids=[f"{m.__name__}.{f.name}" for m, f in TYPED])
def test_every_typed_number_is_bounded_in_model_form_and_database(model, field) -> None:
    upper = getattr(field, "upper", None)
    lower = getattr(field, "lower", 0)
    assert upper in (MONEY_MAX, AREA_MAX) or (isinstance(upper, int) and upper <= COUNT_MAX)
    # The tightest of the field's limits (a column's own range may be among them).
    lows = [v.limit_value for v in field.validators if type(v).__name__ == "MinValueValidator"]
    highs = [v.limit_value for v in field.validators if type(v).__name__ == "MaxValueValidator"]
    assert (max(lows), min(highs)) == (lower, upper)
    form_field = field.formfield()
    assert (form_field.min_value, form_field.max_value) == (lower, upper)
    name = next(c.name for c in model._meta.constraints if c.name.endswith(f"_{field.name}_range"))
    assert REFUSALS[name].field == field.name


def test_the_messages_say_the_limit_in_chinese() -> None:
    with translation.override("zh-hans"):
        money = MoneyField().formfield()
        area = AreaField().formfield()
        money_error = money.error_messages["max_value"]
        # A form types money in 万元: its limit is said in 万元 and 万亿元.
        assert "1万亿元" in str(money_error) and "100,000,000万元" in str(money_error)
        assert "亿平方米" in str(area.error_messages["min_value"])


# --- save_or_show --------------------------------------------------------------------------


class UnboundedProjectForm(forms.Form):
    """A form that lets through what only the database refuses."""

    planned_investment = forms.DecimalField()


def _post(data):
    request = RequestFactory().post("/", data)
    return request, UnboundedProjectForm(data)


def _write_then(project: Project, **values):
    def write(data):
        Zone.objects.create(code="written-first", name="先写入的园区")
        return Project.objects.filter(pk=project.pk).update(**values)

    return write


@pytest.fixture
def project(zone, users):
    return ProjectFactory(zone=zone, officer=users["officer"])


def _nothing_written(project: Project) -> None:
    stored = Project.objects.get(pk=project.pk)  # the connection still answers
    assert stored.planned_investment == project.planned_investment
    assert not Zone.objects.filter(code="written-first").exists()


def test_a_constraint_only_the_database_checks_is_an_error_on_its_field(project) -> None:
    request, form = _post({"planned_investment": "-1"})
    result = save_or_show(request, form, _write_then(project, planned_investment=Decimal(-1)))
    assert result is None
    assert list(form.errors) == ["planned_investment"]
    assert "999,999,999,999.99" in form.errors["planned_investment"][0]
    _nothing_written(project)


def test_a_value_the_column_cannot_hold_is_a_form_error(project) -> None:
    # PostgreSQL: numeric field overflow (DataError); SQLite: the range constraint.
    request, form = _post({"planned_investment": "1"})
    save_or_show(request, form, _write_then(project, planned_investment=Decimal("1e20")))
    assert form.errors
    _nothing_written(project)


def test_an_unregistered_constraint_is_a_general_form_error(project) -> None:
    request, form = _post({"planned_investment": "1"})
    save_or_show(request, form, _write_then(project, land_parcel_code="P-1"))
    assert form.non_field_errors() == [
        gettext("This value cannot be saved: check the figures and try again.")
    ]
    _nothing_written(project)


def test_a_models_own_check_is_an_error_on_its_field(project) -> None:
    def write(data):
        project.planned_investment = MONEY_MAX + 1
        project.full_clean()

    request, form = _post({"planned_investment": "1"})
    save_or_show(request, form, write)
    assert "planned_investment" in form.errors


def test_the_refusal_is_read_from_either_database(project) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Project.objects.filter(pk=project.pk).update(floor_area=AREA_MAX + 1)
    refusal = refusal_of(caught.value)
    assert refusal is not None and refusal.field == "floor_area", (connection.vendor, caught.value)


@pytest.mark.django_db
def test_a_domain_refusal_keeps_what_the_write_chose_to_keep_before_refusing() -> None:
    """A wrong two-factor code is counted, then refused: the count must survive the refusal,
    while the service's own atomic block undoes its part."""

    class NameForm(forms.Form):
        name = forms.CharField()

    def write(data):
        Zone.objects.create(code="kept", name="kept on purpose")
        with transaction.atomic():
            Zone.objects.create(code="undone", name="undone by the service")
            raise DomainError("refused", field="name")

    request = RequestFactory().post("/", {"name": "x"})
    form = NameForm(request.POST)
    assert save_or_show(request, form, write) is None
    assert form.errors["name"] == ["refused"]
    assert Zone.objects.filter(code="kept").exists()
    assert not Zone.objects.filter(code="undone").exists()
