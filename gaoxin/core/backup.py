"""Backups: the whole database and the uploaded files in one archive, and their restore.

An archive is a gzipped tar holding, in this order:

- the database: on SQLite a copy made with SQLite's online backup API (`database.sqlite3`),
  on PostgreSQL a `pg_dump` in its custom format (`database.pgdump`); either is one consistent
  snapshot taken while writes go on;
- the uploads, every file of the default storage, under `files/`;
- `manifest.json`: the format, the engine, the migrations applied in the snapshot, the rows of
  every table in it, and the size and sha256 of the database and of every file.

A restore reads and checks the whole archive before it writes anything (a missing, foreign,
truncated or damaged archive, one of another engine or of migrations this code does not know,
changes nothing); then it replaces the database in one transaction (SQLite's backup API into
the live database; `pg_restore --clean --if-exists --single-transaction`), writes the files,
removes the uploads the archive does not hold, and moves the figures' generations past any
they had before, so that no cached figure is read stale (core/figure_cache.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from gaoxin.core import figure_cache
from gaoxin.core.models import FigureGeneration

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FILES = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Archive:
    """A checked archive, unpacked into `folder` (removed by `close`)."""

    path: Path
    manifest: dict[str, Any]
    folder: Path
    database: Path
    files: dict[str, Path] = field(default_factory=dict)  # storage name → unpacked copy

    @property
    def engine(self) -> str:
        return str(self.manifest["engine"])

    @property
    def migrations(self) -> set[tuple[str, str]]:
        return {(app, name) for app, name in self.manifest["migrations"]}

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# --- taking a backup ---------------------------------------------------------------------------


def backup_create(target: Path, *, using: str = "default") -> dict[str, Any]:
    """Write the archive of the database and the uploads to `target` (replaced whole, or left
    as it was when anything fails). Returns its manifest."""
    connection = connections[using]
    engine = connection.vendor
    if engine not in DATABASE_MEMBERS:
        raise BackupError(f"cannot back up a {engine} database")
    target = Path(target)
    if target.is_dir():
        raise BackupError(
            f"{target} is a folder: name the archive to write in it, "
            f"e.g. {target / 'gaoxin.tar.gz'}"
        )
    if not target.parent.is_dir():
        raise BackupError(f"no such folder: {target.parent}")
    if target.exists() and not _is_backup(target):
        # Replacing an earlier backup is what a nightly job does; replacing anything else (the
        # live database file named by mistake, a report) would lose it.
        raise BackupError(
            f"{target} exists and is not a Gaoxin backup: it was left as it is (name another "
            "file, or remove it first)"
        )
    try:
        work = Path(tempfile.mkdtemp(prefix=".gaoxin-backup-", dir=target.parent))
    except OSError as error:
        raise BackupError(f"cannot write in {target.parent}: {error.strerror}") from None
    partial = work / "archive.tar.gz"
    try:
        dump = work / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            migrations, counts = _sqlite_dump(using, dump)
        else:
            migrations, counts = _postgres_dump(using, dump)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "app": "gaoxin",
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "migrations": sorted(migrations),
            "counts": counts,
            "database": {"member": dump.name, "size": dump.stat().st_size},
            "files": [],
        }
        with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
            with dump.open("rb") as source:
                manifest["database"]["sha256"] = _add(tar, dump.name, source, dump.stat().st_size)
            for name in _storage_names():
                size = default_storage.size(name)
                with default_storage.open(name, "rb") as source:
                    digest = _add(tar, FILES + name, source, size)
                manifest["files"].append({"name": name, "size": size, "sha256": digest})
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, _BytesReader(data))
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _is_backup(path: Path) -> bool:
    """Whether `path` looks like an archive `backup_create` wrote: a gzipped tar whose first
    member is a database dump (read from its first block only)."""
    if not path.is_file():
        return False
    try:
        with tarfile.open(path, "r:gz") as tar:
            first = tar.next()
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        return False
    return first is not None and first.name in DATABASE_MEMBERS.values()


def _sqlite_dump(using: str, dump: Path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """SQLite's online backup: one read transaction over the live database (writers go on in
    WAL mode), copied in one step, so the copy is one consistent state."""
    connection = connections[using]
    connection.ensure_connection()
    live = connection.connection
    if live.in_transaction:
        raise BackupError("cannot back up from inside a transaction")
    copy = sqlite3.connect(dump)
    try:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # the archive holds one file, no -wal
        return _sqlite_state(copy)
    finally:
        copy.close()


def _sqlite_state(db: sqlite3.Connection) -> tuple[list[tuple[str, str]], dict[str, int]]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        migrations = [(a, n) for a, n in db.execute("SELECT app, name FROM django_migrations")]
    return migrations, counts


def _postgres_dump(using: str, dump: Path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """pg_dump of a snapshot this connection exports: the migrations and the counts of the
    manifest are read in the very state the dump holds."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        migrations: list[tuple[str, str]] = []
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = [(a, n) for a, n in cursor.fetchall()]
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
            using,
            what="pg_dump",
        )
    return migrations, counts


def _storage_names(folder: str = "") -> Iterator[str]:
    """Every file of the default storage, its folders walked in name order."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_names(f"{folder}/{sub}" if folder else sub)


def _add(tar: tarfile.TarFile, member: str, source: IO[bytes], size: int) -> str:
    """Stream `source` into the tar as `member`; its sha256."""
    info = tarfile.TarInfo(member)
    info.size = size
    info.mtime = int(dt.datetime.now().timestamp())
    reader = _HashingReader(source)
    tar.addfile(info, reader)
    if reader.read_bytes != size:
        raise BackupError(f"{member} changed while it was read ({reader.read_bytes} of {size})")
    return reader.sha256.hexdigest()


class _HashingReader:
    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.sha256 = hashlib.sha256()
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha256.update(data)
        self.read_bytes += len(data)
        return data


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk = self.data[self.at : end]
        self.at += len(chunk)
        return chunk


# --- reading and checking an archive -----------------------------------------------------------


def archive_open(path: Path, *, using: str = "default") -> Archive:
    """Unpack and check the whole archive; a BackupError says what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"no such file: {path}")
    if not path.is_file():
        raise BackupError(f"not a file: {path}")
    kind = _archive_kind(path)
    if kind != "archive":
        raise BackupError(f"{path} is not a Gaoxin backup ({kind})")
    folder = Path(tempfile.mkdtemp(prefix="gaoxin-restore-"))
    try:
        manifest, members = _unpack(path, folder)
        archive = _checked(path, folder, manifest, members, using)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return archive


def _archive_kind(path: Path) -> str:
    """ "archive" for a gzipped (or plain) tar, else what the file is instead: told by its first
    bytes, so a text file is not reported as a damaged archive (tarfile's own error for it
    reads "truncated header")."""
    try:
        with path.open("rb") as source:
            head = source.read(512)
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if not head:
        return "the file is empty"
    if head[:2] == b"\x1f\x8b" or head[257:262] == b"ustar":
        return "archive"
    return "not a .tar.gz archive"


def _unpack(path: Path, folder: Path) -> tuple[Any, dict[str, tuple[Path, str, int]]]:
    """Every member written to a numbered file of `folder` (never to a path the archive names),
    with its sha256 and size."""
    members: dict[str, tuple[Path, str, int]] = {}
    manifest: Any = None
    try:
        with tarfile.open(path, "r:*") as tar:
            for number, info in enumerate(tar):
                if not info.isfile():
                    continue
                source = tar.extractfile(info)
                if source is None:
                    continue
                if info.name == MANIFEST:
                    try:
                        manifest = json.loads(source.read().decode())
                    except (UnicodeDecodeError, json.JSONDecodeError):
                        raise BackupError(f"{path}: its manifest is damaged") from None
                    continue
                copy = folder / f"{number:08d}"
                digest = hashlib.sha256()
                with copy.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                members[info.name] = (copy, digest.hexdigest(), copy.stat().st_size)
    except tarfile.ReadError as error:
        if not members and manifest is None and "truncated" not in str(error).lower():
            raise BackupError(f"{path} is not a Gaoxin backup (not a tar archive)") from None
        raise BackupError(f"{path} is truncated or damaged ({error})") from None
    except (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is truncated or damaged ({error})") from None
    if manifest is None:
        if not set(members) & set(DATABASE_MEMBERS.values()):
            raise BackupError(
                f"{path} is not a Gaoxin backup (an archive with no manifest.json and no database)"
            )
        raise BackupError(f"{path} is truncated or damaged (no manifest.json)")
    return manifest, members


def _checked(
    path: Path,
    folder: Path,
    manifest: Any,  # whatever JSON the archive held
    members: dict[str, tuple[Path, str, int]],
    using: str,
) -> Archive:
    if not isinstance(manifest, dict) or manifest.get("app") != "gaoxin":
        raise BackupError(f"{path} is not a Gaoxin backup (its manifest is another program's)")
    version = manifest.get("format")
    if not isinstance(version, int) or version > FORMAT:
        raise BackupError(
            f"{path} was made by a newer Gaoxin (archive format {version}; this one reads "
            f"{FORMAT}): restore it with that version"
        )
    engine = manifest.get("engine")
    here = connections[using].vendor
    if engine != here:
        raise BackupError(
            f"{path} holds a {ENGINE_NAMES.get(str(engine), str(engine))} database and this "
            f"site runs on {ENGINE_NAMES.get(here, here)}: restore it on a "
            f"{ENGINE_NAMES.get(str(engine), str(engine))} site (or move the data with "
            "dumpdata and loaddata)"
        )
    database = manifest.get("database") or {}
    wanted = [(str(database.get("member")), database.get("sha256"), database.get("size"))]
    wanted += [(FILES + f["name"], f["sha256"], f["size"]) for f in manifest.get("files", [])]
    for member, digest, size in wanted:
        if member not in members:
            raise BackupError(f"{path} is truncated or damaged: {member} is missing")
        if members[member][1:] != (digest, size):
            raise BackupError(f"{path} is damaged: {member} is not what was backed up")
    archive = Archive(
        path=path,
        manifest=manifest,
        folder=folder,
        database=members[wanted[0][0]][0],
        files={f["name"]: members[FILES + f["name"]][0] for f in manifest.get("files", [])},
    )
    unknown = sorted(archive.migrations - set(MigrationLoader(None).disk_migrations))
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"{path} was made by a newer Gaoxin: its database has migrations this one does not "
            f"know ({shown}{' …' if len(unknown) > 5 else ''}); upgrade first"
        )
    for name in archive.files:
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"{path} is damaged: a file named {name!r}")
    if archive.engine == "sqlite":
        db = sqlite3.connect(archive.database)
        try:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"{path} is damaged: its database fails SQLite's check")
            if _sqlite_state(db)[1] != manifest.get("counts"):
                raise BackupError(
                    f"{path} is damaged: its database's rows differ from its manifest"
                )
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is damaged: {error}") from None
        finally:
            db.close()
    return archive


# --- restoring ---------------------------------------------------------------------------------


def database_summary(*, using: str = "default") -> dict[str, int]:
    """What a restore would replace: the zones and users there are (every business record
    belongs to a zone; none on a database only migrated, or not even that)."""
    from django.contrib.auth import get_user_model

    from gaoxin.core.access import zone_model

    tables = set(connections[using].introspection.table_names())
    summary: dict[str, int] = {}
    for name, model in (("zones", zone_model()), ("users", get_user_model())):
        if model._meta.db_table in tables:
            summary[name] = model._base_manager.using(using).count()
    return summary


def backup_restore(archive: Archive, *, using: str = "default") -> list[str]:
    """Replace the database and the uploads with the archive's. Returns what else was done
    (lines for the user)."""
    notes: list[str] = []
    before = _all_zones_generation(using)
    if archive.engine == "sqlite":
        _sqlite_restore(archive, using)
    else:
        _postgres_restore(archive, using)
    _figures_refresh(before, using)
    counts = _counts(using)
    expected = archive.manifest["counts"]
    generations = FigureGeneration._meta.db_table  # moved on just now
    differ = sorted(t for t in expected if counts.get(t) != expected[t] and t != generations)
    if differ:
        raise BackupError(
            "the restored database's rows differ from the archive's in " + ", ".join(differ[:5])
        )
    _files_restore(archive)
    executor = MigrationExecutor(connections[using])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        from django.core.management import call_command

        call_command("migrate", database=using, interactive=False, verbosity=0)
        _figures_refresh(before, using)
        notes.append(f"applied {len(pending)} migrations newer than the archive")
    return notes


def _figures_refresh(before: int, using: str) -> None:
    """The restored generations are the backup's: a figure cached since under the same
    numbers would be read for the restored records. Every zone's figures move past both the
    restored generation and the one before the restore (done before anything else can fail)."""
    if FigureGeneration._meta.db_table not in connections[using].introspection.table_names():
        return  # an archive older than the cache: its migration bumps every zone
    _raise_all_zones_generation(before, using)
    figure_cache.bump({figure_cache.ALL_ZONES}, using=using)


def _sqlite_restore(archive: Archive, using: str) -> None:
    """The archive's database copied into the live one by SQLite's backup API: one write
    transaction, so other connections see the old database or the new, never a mix."""
    connection = connections[using]
    connection.ensure_connection()
    live = connection.connection
    if live.in_transaction:
        raise BackupError("cannot restore from inside a transaction")
    source = sqlite3.connect(archive.database)
    try:
        source.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"the database could not be replaced, nothing changed: {error}") from None
    finally:
        source.close()
    live.execute("PRAGMA journal_mode=WAL")


def _postgres_restore(archive: Archive, using: str) -> None:
    connection = connections[using]
    connection.close()  # our own idle session must hold no lock the restore waits on
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(archive.database),
        ],
        using,
        what="pg_restore (nothing changed)",
        database=False,
    )
    # Tables the archive does not hold (made by migrations newer than it) would stop the
    # migrations that make them again.
    leftovers = set(connection.introspection.table_names()) - set(archive.manifest["counts"])
    if leftovers:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for table in sorted(leftovers):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def _counts(using: str) -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _files_restore(archive: Archive) -> None:
    """The uploads made the archive's: each written unless the same file is there already,
    then those the archive does not hold removed."""
    for name, copy in sorted(archive.files.items()):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as current:
                if _sha256(current) == _sha256_path(copy):
                    continue
            default_storage.delete(name)
        with copy.open("rb") as source:
            saved = default_storage.save(name, File(source, name=name))
        if saved != name:
            default_storage.delete(saved)
            raise BackupError(f"the storage would not keep {name} under its name (as {saved})")
    for name in set(_storage_names()) - set(archive.files):
        default_storage.delete(name)


def _all_zones_generation(using: str) -> int:
    if FigureGeneration._meta.db_table not in connections[using].introspection.table_names():
        return 0
    row = FigureGeneration.objects.using(using).filter(zone_id=figure_cache.ALL_ZONES).first()
    return row.generation if row else 0


def _raise_all_zones_generation(floor: int, using: str) -> None:
    row, _ = FigureGeneration.objects.using(using).get_or_create(
        zone_id=figure_cache.ALL_ZONES, defaults={"generation": 0, "changed_at": timezone.now()}
    )
    if row.generation < floor:
        FigureGeneration.objects.using(using).filter(zone_id=row.zone_id).update(generation=floor)


def _sha256(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256_path(path: Path) -> str:
    with path.open("rb") as source:
        return _sha256(source)


def _run(command: list[str], using: str, *, what: str, database: bool = True) -> None:
    """A PostgreSQL client program against the site's database (its settings as libpq's
    environment: no password on the command line)."""
    params = connections[using].settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    if database:
        command = [*command, f"--dbname={params['NAME']}"]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (PostgreSQL's client programs are needed)"
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:]}")


@contextlib.contextmanager
def opened(path: Path, *, using: str = "default") -> Iterator[Archive]:
    archive = archive_open(path, using=using)
    try:
        yield archive
    finally:
        archive.close()
