"""Cleaning what people type or paste from government spreadsheets: full-width characters,
stray spaces, and 拼音首字母 for search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

_SPACES = re.compile(r"\s+")


def to_half_width(text: str) -> str:
    """Ａ１２ → A12, full-width space → space (NFKC leaves CJK characters as they are)."""
    return unicodedata.normalize("NFKC", text)


def clean(text: object) -> str:
    """A cell or form value as one tidy line: half-width, single spaces, no ends."""
    if text is None:
        return ""
    return _SPACES.sub(" ", to_half_width(str(text))).strip()


class _WordCachedConverter(UltimateConverter):
    """pypinyin's own converter (lazy_pinyin's defaults), remembering each word's result: a
    word converts the same wherever it stands, and enterprise names share most of their
    words (科技, 有限公司…), so importing 100,000 names converts each word once."""

    def __init__(self) -> None:
        super().__init__(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
        self._word = lru_cache(maxsize=65_536)(self._convert_word)

    def _convert_word(
        self,
        words: str,
        style: Style,
        heteronym: bool,
        errors: Callable[[str], str] | str,
        strict: bool,
    ) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(p) for p in super().convert(words, style, heteronym, errors, strict))

    def convert(
        self,
        words: str,
        style: Style,
        heteronym: bool,
        errors: Callable[[str], str] | str,
        strict: bool = True,
        **kwargs: Any,
    ) -> list[list[str]]:
        return [list(p) for p in self._word(words, style, heteronym, errors, strict)]


_PINYIN = Pinyin(converter=_WordCachedConverter())


def pinyin_initials(text: str) -> str:
    """珠海高新科技 → "zhgxkj". Letters and digits are kept as they are, lower-cased."""
    letters: list[str] = []
    for syllable in _PINYIN.lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"):
        letters.extend(ch.lower() for ch in syllable if ch.isalnum())
    return "".join(letters)
