from django.utils import translation

from gaoxin.core.history import history_entries
from tests.factories import DepartmentFactory


def test_history_shows_who_changed_which_field(users, zone, other_zone) -> None:
    user = users["officer"]
    user.name = "新名字"
    user._history_user = users["admin"]
    user.save()
    with translation.override("en"):
        entries = history_entries(user)
    newest = entries[0]
    assert newest.who == str(users["admin"])
    changed = {change.label: (change.old, change.new) for change in newest.changes}
    assert changed["full name"][1] == "新名字"


def test_history_names_foreign_keys_and_choices(users, zone) -> None:
    user = users["department"]
    other_department = DepartmentFactory(zone=zone, name="生态环境局")
    user.department = other_department
    user.role = "officer"
    user.save()
    with translation.override("en"):
        changes = {c.label: (c.old, c.new) for c in history_entries(user)[0].changes}
    assert changes["department"] == ("自然资源局", "生态环境局")
    assert changes["role"][1] == "Officer"


def test_profile_page_shows_the_history_panel(client_as, users) -> None:
    user = users["leader"]
    user.phone = "0756-1234567"
    user.save()
    response = client_as("leader").get("/accounts/profile/")
    body = response.content.decode()
    assert "0756-1234567" in body
    assert "→" in body
