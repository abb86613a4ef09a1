import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from gaoxin.enterprises.validators import (
    ALPHABET,
    AUTHORITIES,
    PROVINCES,
    is_valid_uscc,
    normalise_uscc,
    validate_uscc,
)
from tests.factories import make_uscc

# Every first seventeen characters GB 32100 allows: an authority and one of its kinds, a
# division in a real province (or 100000, national), any organisation code of the alphabet.
# (This strategy used to take any six digits for the division; 000000 is no division, and is
# now refused.)
bodies = st.tuples(
    st.sampled_from([a + k for a, (_name, kinds) in AUTHORITIES.items() for k in kinds]),
    st.sampled_from(sorted(PROVINCES)),
    st.text("0123456789", min_size=4, max_size=4),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)
codes = bodies.map(lambda body: body + uscc.calc_check_digit(body))


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


@given(codes)
def test_every_code_built_to_the_standard_validates(code: str) -> None:
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)


@given(codes, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_every_single_character_substitution_is_caught(code: str, at: int, new: str) -> None:
    """Why this always holds: the check character makes sum(value(c_i) * w_i) for i = 1..18
    (w_18 = 1) a multiple of 31. Replacing c_i by another character of the alphabet changes
    that sum by w_i * d, where d = value(new) - value(old) is not 0 and lies between -30 and
    30, and every weight w_i lies between 1 and 30. As 31 is prime, w_i * d is never a
    multiple of 31, so the changed code fails the check (or an earlier, structural check)."""
    if new == code[at]:
        return
    changed = code[:at] + new + code[at + 1 :]
    assert not is_valid_uscc(changed)


@given(codes, st.integers(0, 17), st.characters(codec="utf-8"))
def test_a_character_outside_the_alphabet_is_caught_anywhere(code: str, at: int, new: str) -> None:
    if normalise_uscc(new) in ("", *ALPHABET) or new.isspace():
        return  # the same character in another case or width, or removed as a separator
    changed = code[:at] + new + code[at + 1 :]
    assert not is_valid_uscc(changed)


@pytest.mark.parametrize(
    "code",
    [
        "92141127MA0KD1Y64A",  # an individual business (cods.org.cn)
        "12440600MB2C07549J",  # a public institution
        "91110000600037341L",
        "914403001922038216",
        # Authorities python-stdnum refuses (the first eight characters are not all digits):
        "N2" + "440400" + "MA4UQXKP1",
        "Y1" + "440400" + "MA4UQXKP1",
        "A1" + "100000" + "MA4UQXKP1",
        "N1" + "440403" + "000000001",
    ],
)
def test_real_and_letter_authority_codes_are_valid(code: str) -> None:
    if len(code) == 17:
        code += uscc.calc_check_digit(code)
    assert not (code[0].isalpha() and uscc.is_valid(code)), "python-stdnum refuses these"
    assert validate_uscc(code) == code


def with_check(body: str) -> str:
    return body + uscc.calc_check_digit(body)


@pytest.mark.parametrize(
    ("body", "part", "named"),
    [
        ("B1440400MA4UQXKP1", "authority", "B"),
        ("94440400MA4UQXKP1", "category", "工商"),
        ("Y2440400MA4UQXKP1", "category", "其他"),
        ("N4440400MA4UQXKP1", "category", "农业"),
        ("914A0400MA4UQXKP1", "division", "4A0400"),
        ("91000000MA4UQXKP1", "division", "000000"),
    ],
)
def test_each_wrong_part_is_named(settings, body: str, part: str, named: str) -> None:
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as info:
        validate_uscc(with_check(body))
    assert info.value.code == part
    assert named in info.value.messages[0]


def test_a_long_code_is_not_quoted_back_whole() -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc("9" * 10_000)
    assert info.value.code == "length"
    assert len(info.value.messages[0]) < 200
