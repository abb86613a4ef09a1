import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_in_wal_with_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 1
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
