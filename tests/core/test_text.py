"""Pinyin initials come from pypinyin word by word; remembering each word's conversion must
give exactly what pypinyin's lazy_pinyin gives, whatever the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from gaoxin.core.text import pinyin_initials

WORDS = ["珠海", "高新", "科技", "有限公司", "重庆", "长安", "银行", "行长", "乐山", "乐水", "〇一"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=3)), min_size=1, max_size=6).map(
        "".join
    )
)
def test_cached_initials_equal_pypinyins_own(text: str) -> None:
    expected = "".join(
        ch.lower()
        for syllable in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
        for ch in syllable
        if ch.isalnum()
    )
    assert pinyin_initials(text) == expected
    assert pinyin_initials(text) == expected  # the second time from the cache


def test_heteronyms_follow_the_word() -> None:
    assert pinyin_initials("重庆长安") == "cqca"
    assert pinyin_initials("银行行长") == "yhhz"
