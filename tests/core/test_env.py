import os
import subprocess
import sys

import pytest

from gaoxin.env import ConfigError, env_bool, env_choice, env_int, env_str


def test_env_bool_refuses_a_value_it_does_not_know(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigError, match="X_FLAG"):
        env_bool("X_FLAG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("no", False), ("TRUE", True)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected) -> None:
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_int_refuses_words_and_values_below_the_minimum(monkeypatch) -> None:
    monkeypatch.setenv("X_N", "ten")
    with pytest.raises(ConfigError, match="not a whole number"):
        env_int("X_N", 1)
    monkeypatch.setenv("X_N", "0")
    with pytest.raises(ConfigError, match="minimum"):
        env_int("X_N", 1, minimum=1)


def test_env_choice_and_required_string(monkeypatch) -> None:
    monkeypatch.setenv("X_ENV", "staging")
    with pytest.raises(ConfigError, match="must be one of"):
        env_choice("X_ENV", "development", ("development", "production"))
    monkeypatch.delenv("X_REQ", raising=False)
    with pytest.raises(ConfigError, match="must be set"):
        env_str("X_REQ")


def _run_gaoxin(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "gaoxin.cli", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "GAOXIN_ENV": "production",
    "SECRET_KEY": "a-long-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "gaoxin.example.org",
}


def test_production_deploy_check_prints_no_warning(tmp_path) -> None:
    result = _run_gaoxin(
        {**PRODUCTION, "GAOXIN_VAR_DIR": str(tmp_path)},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    env = {**PRODUCTION, "SECRET_KEY": "", "GAOXIN_VAR_DIR": str(tmp_path)}
    result = _run_gaoxin(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_database_url_is_named(tmp_path) -> None:
    result = _run_gaoxin(
        {"DATABASE_URL": "mysql://x@y/z", "GAOXIN_VAR_DIR": str(tmp_path)}, "check"
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be SQLite or PostgreSQL" in result.stderr


def test_development_secret_key_is_made_once(tmp_path) -> None:
    from gaoxin.env import development_secret_key

    first = development_secret_key(tmp_path / "secret_key")
    assert len(first) >= 50
    assert development_secret_key(tmp_path / "secret_key") == first
