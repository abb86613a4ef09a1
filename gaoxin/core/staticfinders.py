"""Serves plotly.js from the plotly wheel as static/vendor/plotly.min.js: zones run on closed
networks, so no chart library comes from a CDN.

The file is 4.8 MB and every chart page loads it, so it is sent compressed (about 1.4 MB
gzipped) and cached for good under a name carrying its content's hash, in both setups:

- production (`CompressedManifestStaticFilesStorage`): `collectstatic` copies the file found
  here, names it by its hash and writes its .gz (and .br when brotli is installed) beside it;
  WhiteNoise serves those with a ten-year max-age, `immutable`.
- development and the demo (`make demo`: WhiteNoise serving straight from the finders, no
  collectstatic): `VersionedStaticFilesStorage` gives plotly.js the same kind of hashed URL,
  and this finder answers that name with a copy made once per plotly version in
  VAR_DIR/cache/static/vendor, next to its .gz (.br) written by WhiteNoise's own compressor.
  WhiteNoise picks the compressed file the browser accepts, and its test for an immutable
  file (the URL is what the storage gives for the unhashed name) holds: the long max-age.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.storage import FileSystemStorage

PLOTLY_NAME = "vendor/plotly.min.js"


def _plotly_dir() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


def _plotly_source() -> Path:
    return _plotly_dir() / "plotly.min.js"


@functools.cache
def plotly_digest() -> str:
    """The first 12 hex digits of the bundle's MD5, as Django's manifest storage names files."""
    digest = hashlib.md5(usedforsecurity=False)
    with _plotly_source().open("rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def versioned_plotly_name() -> str:
    """vendor/plotly.min.<hash>.js"""
    return f"vendor/plotly.min.{plotly_digest()}.js"


def _cache_root() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "static" / "vendor"


@functools.cache
def versioned_plotly_path() -> Path:
    """The hashed copy with its compressed siblings, made once per plotly version. Written in
    a scratch directory and moved into place file by file, the copy itself last, so a server
    (or a test worker) starting at the same moment never serves a half-written .gz."""
    from whitenoise.compress import Compressor

    name = versioned_plotly_name().removeprefix("vendor/")
    root = _cache_root()
    final = root / name
    if not final.exists():
        root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=root, prefix=".plotly-"))
        try:
            shutil.copy2(_plotly_source(), scratch / name)
            compressed = Compressor(quiet=True).compress(str(scratch / name))
            for path in [*compressed, str(scratch / name)]:
                os.replace(path, root / Path(path).name)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return final


class VersionedStaticFilesStorage(StaticFilesStorage):
    """The development storage: files keep their names, except plotly.js, which is asked
    for under its hashed name (the one large file, and the one worth caching for good)."""

    def url(self, name: str | None) -> str:
        if name == PLOTLY_NAME:
            name = versioned_plotly_name()
        return super().url(name)


def _serves_versioned_copy() -> bool:
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    # The manifest storage hashes and compresses at collectstatic: it needs the plain file.
    return not isinstance(staticfiles_storage, ManifestFilesMixin)


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False, **kwargs: Any) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True], **kwargs: Any) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        found = ""
        if path == PLOTLY_NAME:
            found = str(_plotly_source())
        elif path == versioned_plotly_name():
            found = str(versioned_plotly_path())
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Any:
        storage = FileSystemStorage(location=str(_plotly_dir()))
        storage.prefix = "vendor"  # type: ignore[attr-defined]
        yield "plotly.min.js", storage
        if _serves_versioned_copy():
            cached = versioned_plotly_path()
            versioned = FileSystemStorage(location=str(cached.parent))
            versioned.prefix = "vendor"  # type: ignore[attr-defined]
            # The compressed siblings are listed too: WhiteNoise, serving from the finders,
            # looks for a file's .gz/.br only among the files they list.
            for sibling in sorted(cached.parent.glob(f"{cached.name}*")):
                yield sibling.name, versioned
