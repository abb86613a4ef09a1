"""Cleaning what people type or paste from government spreadsheets: full-width characters,
stray spaces, and 拼音首字母 for search."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

_SPACES = re.compile(r"\s+")


def to_half_width(text: str) -> str:
    """Ａ１２ → A12, full-width space → space (NFKC leaves CJK characters as they are)."""
    return unicodedata.normalize("NFKC", text)


def clean(text: object) -> str:
    """A cell or form value as one tidy line: half-width, single spaces, no ends."""
    if text is None:
        return ""
    return _SPACES.sub(" ", to_half_width(str(text))).strip()


def pinyin_initials(text: str) -> str:
    """珠海高新科技 → "zhgxkj". Letters and digits are kept as they are, lower-cased."""
    letters = []
    for syllable in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"):
        letters.extend(ch.lower() for ch in syllable if ch.isalnum())
    return "".join(letters)
