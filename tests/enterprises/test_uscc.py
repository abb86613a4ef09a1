import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from gaoxin.enterprises.validators import ALPHABET, normalise_uscc, validate_uscc
from tests.factories import make_uscc

bodies = st.tuples(
    st.sampled_from(["91", "92", "93", "11", "51"]),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@given(bodies)
def test_a_valid_code_survives_full_width_spaces_and_lower_case(body: str) -> None:
    code = body + uscc.calc_check_digit(body)
    messy = " " + full_width(code[:9]).lower() + " " + code[9:].lower() + "\u3000"
    assert validate_uscc(messy) == code


@given(bodies, st.sampled_from(ALPHABET))
def test_a_wrong_check_character_is_named(body: str, wrong: str) -> None:
    right = uscc.calc_check_digit(body)
    if wrong == right:
        return
    with pytest.raises(ValidationError) as info:
        validate_uscc(body + wrong)
    assert info.value.code == "checksum"
    assert right in info.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("9144040000000000", "length"),
        ("91440400000000001O", "character"),
        ("", "empty"),
        ("9144O4000000000011", "character"),
    ],
)
def test_bad_codes_say_what_is_wrong(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc(raw)
    assert info.value.code == code


def test_normalise_removes_hyphens_and_spaces() -> None:
    assert normalise_uscc("9144-0400 0000 00001") == "91440400000000001"
    assert validate_uscc(make_uscc(5).lower()) == make_uscc(5)
