"""Cleaning what people type or paste from government spreadsheets: stray spaces, full-width
letters and digits, and 拼音首字母 for search.

Two readings of a text, for two purposes:
- `clean` is what is stored and shown: CJK punctuation stays as it was typed (an official name
  is "清华科技园（珠海）", a batch "（第二批）"), only spaces and full-width letters and digits
  (Ａ１２ → A12, which codes and numbers need) are tidied.
- `fold` is what is compared: every width variant made one (NFKC: （ and ( are the same key),
  for matching a header, a name in an import or a search against what is stored in either form.
"""

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

# Full-width ASCII (U+FF01–U+FF5E) is ASCII shifted by 0xFEE0. Letters and digits are made
# half-width by `clean`; the punctuation among them has a half-width twin that search folds.
_WIDTH_SHIFT = 0xFEE0
_FULL_WIDTH_ALNUM = {
    ord(half) + _WIDTH_SHIFT: half
    for half in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
}
# （ → (, ： → :, ， → , … : what a search folds on both sides.
FULL_WIDTH_PUNCTUATION = {
    chr(code + _WIDTH_SHIFT): chr(code) for code in range(0x21, 0x7F) if not chr(code).isalnum()
}
_FOLD_PUNCTUATION = {ord(full): half for full, half in FULL_WIDTH_PUNCTUATION.items()}


def to_half_width(text: str) -> str:
    """Ａ１２ → A12, （ → (, full-width space → space (NFKC leaves CJK characters as they are).
    For codes and numbers, never for what is stored as typed."""
    return unicodedata.normalize("NFKC", text)


def clean(text: object) -> str:
    """A cell or form value as one tidy line, as typed: single spaces (the ideographic space
    included), no ends, full-width letters and digits made half-width; CJK punctuation kept."""
    if text is None:
        return ""
    return _SPACES.sub(" ", str(text).translate(_FULL_WIDTH_ALNUM)).strip()


def fold(text: object) -> str:
    """The key a text is compared by: `clean`, then every width variant made one (NFKC), so
    "清华科技园(珠海)" and "清华科技园（珠海）" are the same key."""
    if text is None:
        return ""
    return _SPACES.sub(" ", to_half_width(str(text))).strip()


def search_form(text: str) -> str:
    """A search box's text as it is matched against folded columns: `clean`, with full-width
    punctuation made half-width (the columns are folded the same way in the query)."""
    return clean(text).translate(_FOLD_PUNCTUATION)


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
