"""The interface is Chinese first: every message has a Chinese translation, and the compiled
catalogue that ships is the one the .po file says."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

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
