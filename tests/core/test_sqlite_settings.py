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


def _settings_for(monkeypatch: pytest.MonkeyPatch, url: str, **env: str) -> dict:
    """The database settings gaoxin/settings.py gives for this environment (run afresh in
    a namespace of its own; the settings in use are untouched)."""
    import runpy

    import gaoxin.settings

    with monkeypatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.delenv("DB_CONN_MAX_AGE", raising=False)
        for key, value in env.items():
            patch.setenv(key, value)
        return runpy.run_path(gaoxin.settings.__file__)["DATABASES"]["default"]


def test_a_sqlite_files_connections_are_kept_as_postgresqls_are(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Opening a SQLite connection (its WAL pragma) cost more CPU than a signed-in request's
    own work: a file's connections are kept DB_CONN_MAX_AGE seconds, as on PostgreSQL."""
    url = f"sqlite:///{tmp_path / 'kept.sqlite3'}"
    assert _settings_for(monkeypatch, url)["CONN_MAX_AGE"] == 60
    assert _settings_for(monkeypatch, url, DB_CONN_MAX_AGE="5")["CONN_MAX_AGE"] == 5
    assert _settings_for(monkeypatch, url, DB_CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0
    pg = _settings_for(monkeypatch, "postgres://u@127.0.0.1:5432/x")
    assert pg["CONN_MAX_AGE"] == 60


def test_an_in_memory_sqlite_connection_is_never_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _settings_for(monkeypatch, "sqlite://:memory:")["CONN_MAX_AGE"] == 0
