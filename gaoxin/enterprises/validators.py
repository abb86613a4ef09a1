"""统一社会信用代码 (USCC): cleaned, then checked with python-stdnum, with a message that says
what is wrong."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from gaoxin.core.text import to_half_width

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalise_uscc(raw: object) -> str:
    """Full-width characters, spaces, hyphens and lower case are accepted and cleaned."""
    text = to_half_width(str(raw or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


@lru_cache(maxsize=131_072)
def _checked(code: str) -> str:
    """python-stdnum's check, remembered for valid codes: an import checks each code when it
    reads the sheet and again when it builds the enterprise. The import empties it when done
    (forget_checked_codes), so a worker does not keep 100,000 codes."""
    return stdnum_uscc.validate(code)


def forget_checked_codes() -> None:
    _checked.cache_clear()


def validate_uscc(raw: object) -> str:
    """The cleaned code, or ValidationError saying whether the length, a character or the
    check character is wrong."""
    code = normalise_uscc(raw)
    if not code:
        raise ValidationError(_("The unified social credit code is empty."), code="empty")
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; %(code)s has %(n)d.")
            % {"code": code, "n": len(code)},
            code="length",
        )
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        raise ValidationError(
            _(
                "The unified social credit code %(code)s contains %(chars)s, which a code never "
                "uses (I, O, S, V and Z are not used)."
            )
            % {"code": code, "chars": "、".join(dict.fromkeys(bad))},
            code="character",
        )
    try:
        return _checked(code)
    except InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(code)
        raise ValidationError(
            _(
                "The check character of %(code)s is wrong: it should be %(expected)s. Check the "
                "code for a typing mistake."
            )
            % {"code": code, "expected": expected},
            code="checksum",
        ) from None
    except (InvalidFormat, InvalidComponent, InvalidLength):
        raise ValidationError(
            _(
                "%(code)s is not a valid unified social credit code (the registration "
                "authority or the organisation code part is wrong)."
            )
            % {"code": code},
            code="format",
        ) from None


def is_valid_uscc(raw: object) -> bool:
    try:
        validate_uscc(raw)
    except ValidationError:
        return False
    return True
