"""The interface is Chinese first: every message of the code is in the catalogue (extracted
afresh, not trusted to have been), every message has a Chinese translation, and the compiled
catalogue that ships is the one the .po file says."""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import gaoxin

CATALOGUE = Path(gaoxin.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation() -> None:
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"translate these in django.po: {untranslated}"
    assert not fuzzy, f"check these fuzzy translations: {fuzzy}"


def test_compiled_catalogue_matches_the_po_file() -> None:
    po = polib.pofile(str(CATALOGUE / "django.po"))
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(entry: polib.POEntry) -> str:
        if entry.msgctxt:
            return compiled.pgettext(entry.msgctxt, entry.msgid)
        return compiled.gettext(entry.msgid)

    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural and compiled_text(entry) != entry.msgstr
    ]
    assert not stale, f"django.mo is out of date (run make messages): {stale[:5]}"


def _entry_key(entry: polib.POEntry) -> tuple[str, str]:
    return entry.msgctxt or "", entry.msgid


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch) -> None:
    """Extract the messages of the code the way `make messages` does (makemessages, i.e. GNU
    xgettext) from a copy of the package, and find each in the shipped django.po, translated:
    a string marked for translation but never added to the catalogue shows in English."""
    if shutil.which("xgettext") is None:
        reason = "GNU xgettext (package gettext) is needed to extract the messages"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must run this test")
        pytest.skip(reason)
    package = Path(gaoxin.__file__).parent
    copy = tmp_path / "gaoxin"
    # A copy of the package, so that makemessages writes nothing into the real tree.
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        no_obsolete=True,
        no_location=True,
        keep_pot=True,
        verbosity=0,
    )
    extracted = polib.pofile(str(copy / "locale" / "django.pot"))
    assert len(extracted) > 100, "makemessages extracted almost nothing: is the copy complete?"
    shipped = {
        _entry_key(entry): entry
        for entry in polib.pofile(str(CATALOGUE / "django.po"))
        if not entry.obsolete
    }
    missing = [
        (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
        for entry in extracted
        if _entry_key(entry) not in shipped or not _is_translated(shipped[_entry_key(entry)])
    ]
    assert not missing, (
        f"{len(missing)} messages of the code have no Chinese in django.po "
        f"(append them with their translation): {missing}"
    )
