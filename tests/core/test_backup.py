"""`gaoxin backup` / `gaoxin restore` (core/backup.py): a round trip gives the same figures for
every zone, the same history rows and the same files, and no figure cached since the backup;
a restore over records asks first; a backup taken while a writer commits holds whole
transactions; a bad archive is refused, with nothing written.

On SQLite each test runs on a database file of its own in tmp_path (the online backup's WAL
case, a copy of the migrated test database); on PostgreSQL (DATABASE_URL, CI's second run) on
the test database itself, through pg_dump and pg_restore."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from simple_history.models import HistoricalChanges

from gaoxin.accounts.models import Zone
from gaoxin.enterprises.models import Designation, Enterprise
from gaoxin.projects.models import Project
from tests.factories import (
    DesignationFactory,
    EnterpriseFactory,
    PolicyFactory,
    ProjectFactory,
    SpaceFactory,
    UserFactory,
    ZoneFactory,
    make_uscc,
)


@pytest.fixture
def site_db(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """The default connection on a database file of its own (SQLite), for real commits seen
    by other connections and SQLite's online backup as a site runs it (WAL)."""
    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "site.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    kept, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # an in-memory test database is never closed: set aside
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = kept


def _dataset() -> None:
    """Two zones with a few enterprises, projects, spaces, a designation, an edit (history)
    and an uploaded policy document."""
    for code in ("bk-a", "bk-b"):
        zone = ZoneFactory(code=code)
        UserFactory(zones=[zone])
        enterprises = EnterpriseFactory.create_batch(3, zone=zone)
        DesignationFactory(enterprise=enterprises[0])
        ProjectFactory(zone=zone, stage="signed")
        ProjectFactory(zone=zone, stage="registered", fixed_asset_investment=70_000_000)
        SpaceFactory(zone=zone)
        enterprises[1].name = "改名后的科技有限公司"
        enterprises[1].save()
    PolicyFactory(
        zone=Zone.objects.get(code="bk-a"),
        attachment=SimpleUploadedFile("措施.pdf", b"%PDF-1.4 policy text"),
    )
    default_storage.save("notes/readme.txt", ContentFile(b"kept with the records"))


def _metrics(zone: str | None) -> dict[str, Any]:
    out = io.StringIO()
    call_command("metrics", "--json", *(["--zone", zone] if zone else []), stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _state(*, figures: bool = True) -> dict[str, Any]:
    """What a round trip must give back: every zone's figures, every history row, every
    uploaded file's content."""
    codes = sorted(Zone.objects.values_list("code", flat=True))
    history = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    }
    files = {}
    for name in _files():
        with default_storage.open(name, "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
    return {
        "metrics": {code: _metrics(code) for code in codes} if figures else None,
        "history": history,
        "files": files,
    }


def _files(folder: str = "") -> list[str]:
    try:
        folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{n}" if folder else n for n in names]
    for sub in folders:
        found += _files(f"{folder}/{sub}" if folder else sub)
    return sorted(found)


def _fingerprint() -> tuple[dict[str, int], list[str]]:
    """Rows of every table and the files: what a refused restore must leave as it was."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts, _files()


def _change_everything() -> None:
    """Writes after the backup: a bulk update (bumps the all-zones generation only), an edit
    with history, a new enterprise, a file rewritten, a file added."""
    Project.objects.update(fixed_asset_investment=1)
    enterprise = Enterprise.objects.filter(zone__code="bk-a").order_by("pk").first()
    assert enterprise is not None
    enterprise.name = "备份之后改的名字有限公司"
    enterprise.save()
    EnterpriseFactory(zone=Zone.objects.get(code="bk-b"))
    default_storage.delete("notes/readme.txt")
    default_storage.save("notes/readme.txt", ContentFile(b"rewritten after the backup"))
    default_storage.save("later.txt", ContentFile(b"uploaded after the backup"))


def test_a_round_trip_gives_the_same_figures_history_and_files(site_db, tmp_path) -> None:
    _dataset()
    before = _state()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    # A write that moves the all-zones generation only: its figures are cached under the
    # zones' generations of the backup, with the next all-zones one.
    Project.objects.update(expected_annual_output=1)
    assert _state()["metrics"] != before["metrics"]
    _change_everything()
    changed = _state(figures=False)
    for part in ("history", "files"):
        assert changed[part] != before[part], part

    call_command("restore", str(archive), "--noinput", stdout=io.StringIO())

    after = _state()
    assert after["files"] == before["files"]
    assert after["history"] == before["history"]
    # Not one figure cached between the backup and the restore is read back, though the
    # restore gives the generations their values at the backup.
    assert after["metrics"] == before["metrics"]


def test_restoring_over_records_asks_and_no_changes_nothing(site_db, tmp_path, monkeypatch) -> None:
    _dataset()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    _change_everything()
    changed = _fingerprint()
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "no")

    with pytest.raises(CommandError, match="cancelled: nothing was changed"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert len(asked) == 1 and "2 zones" in asked[0] and "yes" in asked[0]
    assert _fingerprint() == changed

    monkeypatch.setattr("builtins.input", lambda question: "yes")
    call_command("restore", str(archive), stdout=io.StringIO())
    assert _fingerprint() != changed
    assert not Enterprise.objects.filter(name="备份之后改的名字有限公司").exists()


def test_restoring_into_an_empty_database_does_not_ask(site_db, tmp_path, monkeypatch) -> None:
    _dataset()
    before = _fingerprint()
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", "--noinput")
    for name in _files():
        default_storage.delete(name)

    def refuse(question: str) -> str:
        raise AssertionError(f"asked over an empty database: {question}")

    monkeypatch.setattr("builtins.input", refuse)
    call_command("restore", str(archive), stdout=io.StringIO())
    assert _fingerprint() == before


def test_a_backup_while_a_writer_commits_holds_whole_transactions(site_db, tmp_path) -> None:
    """The writer commits an enterprise and its designation together; every archive taken
    meanwhile holds both of each pair or neither."""
    zone = ZoneFactory(code="bk-a")
    stop = threading.Event()
    committed: list[int] = []
    failures: list[BaseException] = []

    def write() -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                with transaction.atomic():
                    enterprise = Enterprise.objects.create(
                        zone=zone, name=f"并发写入{n}有限公司", uscc=make_uscc(900_000 + n)
                    )
                    Designation.objects.create(
                        enterprise=enterprise,
                        kind="high_tech",
                        level="national",
                        granted_on="2023-01-01",
                    )
                committed.append(n)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    archives = []
    overlapped = False
    try:
        while not committed and writer.is_alive():
            stop.wait(0.01)
        for i in range(3):  # until one backup ran while the writer committed
            start = len(committed)
            archive = tmp_path / f"during-{i}.tar.gz"
            call_command("backup", str(archive), stdout=io.StringIO())
            archives.append(archive)
            if len(committed) > start:
                overlapped = True
                break
    finally:
        stop.set()
        writer.join(30)
    assert not failures, failures
    assert overlapped, "no write was committed while a backup ran"
    for archive in archives:
        call_command("restore", str(archive), "--noinput", stdout=io.StringIO())
        pairs = Enterprise.objects.filter(name__startswith="并发写入")
        assert pairs.exists()
        assert Designation.objects.filter(enterprise__in=pairs).count() == pairs.count()
        assert pairs.count() < len(committed)


# --- bad input: a clear message, exit status 1, nothing written ---------------------------------


def _repacked(source: Path, target: Path, **manifest_changes: Any) -> Path:
    """The archive with its manifest changed (and nothing else)."""
    with tarfile.open(source, "r:gz") as tar, tarfile.open(target, "w:gz") as out:
        for info in tar:
            data = tar.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "manifest.json":
                manifest = json.loads(data) | manifest_changes
                if "extra_migration" in manifest:
                    manifest["migrations"].append(manifest.pop("extra_migration"))
                data = json.dumps(manifest).encode()
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def _tampered(source: Path, target: Path, member: str) -> Path:
    """The archive with one byte of `member` changed and its manifest left as it was."""
    with tarfile.open(source, "r:gz") as tar, tarfile.open(target, "w:gz") as out:
        for info in tar:
            data = tar.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            out.addfile(info, io.BytesIO(data))
    return target


def _bad(kind: str, good: Path, folder: Path) -> tuple[Path, str]:
    other = "postgresql" if connections["default"].vendor == "sqlite" else "sqlite"
    if kind == "missing":
        return folder / "nowhere.tar.gz", "no such file"
    if kind == "not an archive":
        path = folder / "notes.txt"
        path.write_text("这不是备份文件\n" * 50)
        return path, "not a Gaoxin backup"
    if kind == "empty":
        path = folder / "empty.tar.gz"
        path.write_bytes(b"")
        return path, "not a Gaoxin backup \\(the file is empty\\)"
    if kind == "short text":
        # tarfile's own error for a file this short reads "truncated header": it is still no
        # archive, not a damaged one.
        path = folder / "note.txt"
        path.write_text("just text\n")
        return path, "not a Gaoxin backup \\(not a .tar.gz archive\\)"
    if kind == "another program's archive":
        path = folder / "photos.tar.gz"
        with tarfile.open(path, "w:gz") as tar:
            data = b"not a database"
            info = tarfile.TarInfo("photo.jpg")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        return path, "not a Gaoxin backup \\(an archive with no manifest.json and no database"
    if kind == "cut before its manifest":
        path = folder / "nomanifest.tar.gz"
        with tarfile.open(good, "r:gz") as tar, tarfile.open(path, "w:gz") as out:
            for info in tar:
                if info.name != "manifest.json":
                    out.addfile(info, tar.extractfile(info))
        return path, "truncated or damaged \\(no manifest.json\\)"
    if kind == "tampered database":
        vendor = connections["default"].vendor
        member = "database.sqlite3" if vendor == "sqlite" else "database.pgdump"
        path = _tampered(good, folder / "tampered.tar.gz", member)
        return path, f"is damaged: {member} is not what was backed up"
    if kind == "tampered upload":
        path = _tampered(good, folder / "tampered-file.tar.gz", "files/notes/readme.txt")
        return path, "is damaged: files/notes/readme.txt is not what was backed up"
    if kind == "truncated":
        path = folder / "cut.tar.gz"
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        return path, "truncated"
    if kind == "another engine":
        return _repacked(good, folder / "other.tar.gz", engine=other), "database and this site"
    if kind == "newer migrations":
        future = ["projects", "9999_from_the_future"]
        path = _repacked(good, folder / "newer.tar.gz", extra_migration=future)
        return path, "newer Gaoxin.*projects.9999_from_the_future"
    if kind == "newer format":
        return _repacked(good, folder / "format.tar.gz", format=99), "newer Gaoxin"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "not an archive",
        "empty",
        "short text",
        "another program's archive",
        "cut before its manifest",
        "tampered database",
        "tampered upload",
        "truncated",
        "another engine",
        "newer migrations",
        "newer format",
    ],
)
def test_a_bad_archive_is_refused_and_nothing_is_written(site_db, tmp_path, kind) -> None:
    _dataset()
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())
    _change_everything()
    unchanged = _fingerprint()
    path, message = _bad(kind, good, tmp_path)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), "--noinput", stdout=io.StringIO())

    assert _fingerprint() == unchanged


def test_a_backup_that_cannot_be_written_leaves_no_file(site_db, tmp_path) -> None:
    target = tmp_path / "missing-folder" / "site.tar.gz"
    with pytest.raises(CommandError, match="no such folder"):
        call_command("backup", str(target), stdout=io.StringIO())
    assert not target.parent.exists()


def test_a_backup_to_a_folder_is_refused_with_the_name_to_give(site_db, tmp_path) -> None:
    with pytest.raises(CommandError, match="is a folder: name the archive to write in it"):
        call_command("backup", str(tmp_path), stdout=io.StringIO())
    assert not [p for p in tmp_path.parent.iterdir() if p.name.startswith(".gaoxin-backup-")]


@pytest.mark.parametrize("kind", ["a report", "the live database"])
def test_a_backup_never_replaces_a_file_that_is_not_a_backup(site_db, tmp_path, kind) -> None:
    """`gaoxin backup db.sqlite3` (a slip for restore, or the wrong argument) must not turn the
    site's database, or anything else, into an archive."""
    if kind == "a report":
        target = tmp_path / "report.txt"
        target.write_text("月度报告\n")
    else:
        if connections["default"].vendor != "sqlite":
            pytest.skip("the database is a file only on SQLite")
        target = Path(connections["default"].settings_dict["NAME"])
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    with pytest.raises(CommandError, match="exists and is not a Gaoxin backup"):
        call_command("backup", str(target), stdout=io.StringIO())

    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_a_backup_replaces_an_earlier_backup_of_the_same_name(site_db, tmp_path) -> None:
    """What a nightly job writing one name does."""
    _dataset()
    target = tmp_path / "nightly.tar.gz"
    call_command("backup", str(target), stdout=io.StringIO())
    first = target.read_bytes()
    EnterpriseFactory(zone=Zone.objects.get(code="bk-b"))

    call_command("backup", str(target), stdout=io.StringIO())

    assert target.read_bytes() != first
    with tarfile.open(target, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["counts"]["enterprises_enterprise"] == Enterprise.objects.count()
