"""deploy/: what production runs (README "部署（一台与多台）/ Deployment"). The compose file
parses and names every service, the systemd units run commands that exist, gunicorn's config
sets only settings gunicorn knows, the environment example names only variables something
reads, and GAOXIN_S3_BUCKET moves the uploads to an S3-compatible bucket."""

from __future__ import annotations

import configparser
import importlib.util
import runpy
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
INSTALLED = "/srv/gaoxin/"  # where the units expect the checkout


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def _units() -> dict[str, configparser.ConfigParser]:
    units = {}
    for path in sorted((DEPLOY / "systemd").glob("*.service")):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
        unit.read(path)
        units[path.name] = unit
    return units


def _gaoxin_command_exists(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


def _check_command(argv: list[str]) -> str:
    """What the command runs ('web' or 'worker'), after checking that it exists here."""
    program = Path(argv[0]).name
    if program in ("python", "python3") and argv[1:3] == ["-m", "gunicorn"]:
        program, argv = "gunicorn", argv[2:]
    if program == "gunicorn":
        assert "gaoxin.wsgi" in argv or "gaoxin.wsgi:application" in argv, argv
        assert importlib.util.find_spec("gaoxin.wsgi") is not None
        config = argv[argv.index("-c") + 1]
        assert (ROOT / config.removeprefix(INSTALLED)).is_file(), config
        return "web"
    assert program == "gaoxin", argv
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["gaoxin"] == "gaoxin.cli:main"
    assert _gaoxin_command_exists(argv[1]), argv
    return {"worker": "worker", "serve": "web"}.get(argv[1], argv[1])


def test_the_compose_file_runs_two_web_nodes_two_workers_postgres_and_redis() -> None:
    services = _compose()["services"]
    assert {"web1", "web2", "worker1", "worker2", "postgres", "redis", "migrate"} <= set(services)
    roles = {
        name: _check_command(service["command"])
        for name, service in services.items()
        if name.startswith(("web", "worker"))
    }
    assert roles == {"web1": "web", "web2": "web", "worker1": "worker", "worker2": "worker"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in roles:
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert environment["REDIS_URL"].startswith("redis://"), name
        assert "media:/srv/gaoxin-media" in services[name]["volumes"], name  # shared uploads
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    # The two web nodes listen on different ports of the host.
    assert services["web1"]["ports"] != services["web2"]["ports"]


def test_the_systemd_units_run_the_web_node_and_the_worker() -> None:
    units = _units()
    assert set(units) == {"gaoxin-web.service", "gaoxin-worker@.service"}
    roles = {}
    for name, unit in units.items():
        argv = shlex.split(unit["Service"]["ExecStart"])
        assert argv[0].startswith(INSTALLED + ".venv/bin/"), argv
        roles[name] = _check_command(argv)
        assert unit["Service"]["EnvironmentFile"] == "/etc/gaoxin/gaoxin.env"
        assert unit["Service"]["Restart"] == "always"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert roles == {"gaoxin-web.service": "web", "gaoxin-worker@.service": "worker"}
    # huey stops gracefully on SIGINT: running jobs end before the worker does.
    assert units["gaoxin-worker@.service"]["Service"]["KillSignal"] == "SIGINT"


def test_a_command_that_does_not_exist_is_refused_by_the_check() -> None:
    with pytest.raises(AssertionError):
        _check_command(["/srv/gaoxin/.venv/bin/gaoxin", "no-such-command"])
    with pytest.raises(AssertionError):
        _check_command(["gunicorn", "-c", "deploy/no-such.conf.py", "gaoxin.wsgi"])


def test_gunicorns_config_sets_only_what_gunicorn_knows(monkeypatch) -> None:
    from gunicorn.config import KNOWN_SETTINGS

    monkeypatch.setenv("GAOXIN_BIND", "0.0.0.0:8001")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    known = {setting.name for setting in KNOWN_SETTINGS}
    names = {k for k in values if not k.startswith("_") and k not in ("annotations", "os")}
    names -= {"multiprocessing"}
    assert names <= known, names - known
    assert values["bind"] == "0.0.0.0:8001" and values["workers"] == 3


def test_the_environment_example_names_only_variables_that_are_read() -> None:
    read = "".join(
        path.read_text() for path in (ROOT / "gaoxin" / "settings.py", DEPLOY / "gunicorn.conf.py")
    )
    names = []
    for line in (DEPLOY / "systemd" / "gaoxin.env.example").read_text().splitlines():
        line = line.lstrip("#").strip()
        if "=" in line and line.split("=", 1)[0].isupper():
            names.append(line.split("=", 1)[0])
    assert "DATABASE_URL" in names and "REDIS_URL" in names and "GAOXIN_S3_BUCKET" in names
    assert [n for n in names if f'"{n}"' not in read] == []


def _settings(monkeypatch, **env: str) -> dict[str, Any]:
    for name in ("GAOXIN_S3_BUCKET", "GAOXIN_MEDIA_ROOT", "GAOXIN_S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gaoxin" / "settings.py"))


def test_uploads_stay_on_the_filesystem_unless_a_bucket_is_named(monkeypatch, tmp_path) -> None:
    plain = _settings(monkeypatch, GAOXIN_MEDIA_ROOT=str(tmp_path / "shared"))
    assert plain["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert plain["MEDIA_ROOT"] == tmp_path / "shared"
    s3 = _settings(
        monkeypatch, GAOXIN_S3_BUCKET="gaoxin-uploads", GAOXIN_S3_ENDPOINT_URL="http://minio:9000"
    )
    default = s3["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "gaoxin-uploads"
    assert default["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert default["OPTIONS"]["default_acl"] is None  # private objects
    assert s3["STORAGES"]["staticfiles"] == plain["STORAGES"]["staticfiles"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert extras["optional-dependencies"]["s3"] == ["django-storages[s3]>=1.14"]


def test_a_node_on_the_unedited_environment_example_refuses_to_start(monkeypatch) -> None:
    """The example's SECRET_KEY is empty: copied and not edited, the settings stop with the
    reason (a placeholder of 50 characters was once accepted as the production key)."""
    from gaoxin.env import ConfigError

    env = {}
    for line in (DEPLOY / "systemd" / "gaoxin.env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value
    assert env["GAOXIN_ENV"] == "production" and env["SECRET_KEY"] == ""
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        _settings(monkeypatch, **env)
    # Edited as the comment says, the same environment starts.
    values = _settings(monkeypatch, **{**env, "SECRET_KEY": "k" * 40 + "abcdefghij"})
    assert values["SECRET_KEY"].startswith("kkkk")
