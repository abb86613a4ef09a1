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


# --- clean keeps CJK punctuation as typed; fold and search see both widths as one -----------

from gaoxin.core.text import FULL_WIDTH_PUNCTUATION, clean, fold, search_form  # noqa: E402

CJK_PUNCTUATION = "（）【】：，；！？、。《》“”"
name_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("清华科技园珠海第二批储能传感器有限公司"),
        st.sampled_from(CJK_PUNCTUATION + "()[]:,;!? "),
        st.sampled_from("ＡＢｃ０１２３ABC0123"),
    ),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(name_text)
def test_clean_keeps_cjk_punctuation_and_is_idempotent(text: str) -> None:
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    for ch in CJK_PUNCTUATION:
        assert cleaned.count(ch) == text.count(ch)  # as typed, none made half-width
    assert not any("\uff10" <= ch <= "\uff5a" and ch.isalnum() for ch in cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned


@settings(max_examples=300, deadline=None)
@given(name_text)
def test_fold_sees_either_width_as_the_same_text(text: str) -> None:
    half = text.translate(str.maketrans(FULL_WIDTH_PUNCTUATION))
    assert fold(text) == fold(half) == fold(clean(text))
    assert search_form(text) == search_form(half)


def test_official_names_are_stored_as_typed() -> None:
    assert clean(" 清华科技园（珠海）　有限公司 ") == "清华科技园（珠海） 有限公司"
    assert clean("2023年（第二批）【储能】：Ａ１２") == "2023年（第二批）【储能】：A12"
    assert fold("清华科技园（珠海）") == fold("清华科技园(珠海)") == "清华科技园(珠海)"


def test_amounts_and_lists_still_read_full_width_punctuation() -> None:
    """Cells are kept as typed now; what reads numbers and lists folds them itself."""
    from decimal import Decimal

    from gaoxin.core.excel_read import split_list
    from gaoxin.core.parsing import parse_amount

    assert parse_amount("３，２００万") == parse_amount("3,200万") == Decimal("32000000")
    assert split_list("电芯制造，芯片设计；封测") == ["电芯制造", "芯片设计", "封测"]
