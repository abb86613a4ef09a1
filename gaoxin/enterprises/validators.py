"""统一社会信用代码 (USCC) checked part by part as GB 32100-2015 defines it, with a message that
says which part is wrong.

The code is 18 characters of 0-9 and A-Z without I, O, S, V and Z:

  1     登记管理部门码 (registration authority)
  2     机构类别码 (kind of organisation), from the list of that authority
  3-8   登记管理机关行政区划码 (GB/T 2260 division of the registering office; 100000 = national)
  9-17  主体标识码 (the organisation code, GB 11714)
  18    校验码, computed as GB/T 17710 says (python-stdnum's `calc_check_digit`)

python-stdnum's own `cn.uscc.validate` is not used: it wants the first eight characters to be
digits, so it refuses valid codes of the authorities A (中央军委改革和编制办公室), N (农业:
village collectives) and Y (其他).

The table of authorities and their kinds is GB 32100-2015 表1 as extended in practice with A
and N. Where it was looked up (no copy of the standard itself was at hand): the standard's text
is linked from jaywcjlove/regexp-example#23 (zh.wikisource, "GB 32100-2015 法人和其他组织统一
社会信用代码编码规则"); the table below agrees with several independent public validators that
carry it in full (Go, Java, PHP, TypeScript; found by searching GitHub code for
中央军委改革和编制办公室), and with real codes: 92141127MA0KD1Y64A (an individual business, named
in any86/any-rule#331 and jaywcjlove/regexp-example#23 as listed at cods.org.cn) and
12440600MB2C07549J (a public institution, xbeginagain/generator#2).

The GB 11714 check character at position 17 is not enforced. Real codes checked carry it, but
GB 32100 only says the 主体标识码 is formed "with reference to" GB 11714, the registration
systems assign it for entities that never had an organisation code, and a wrong refusal blocks
a whole import; the final check character already catches every single-character typo
(tests/enterprises/test_uscc.py proves it). Note also: some Xiamen codes issued before 2016
(e.g. 91350203M0001QKT19, chinabugotech/hutool#4119) fail the final check character itself;
they are refused, as every validator of the standard does.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn.uscc import calc_check_digit

from gaoxin.core.parsing import shown
from gaoxin.core.text import to_half_width

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ALPHABET_SET = frozenset(ALPHABET)

# 登记管理部门码 → (the authority, its 机构类别码): GB 32100-2015 表1, with A and N.
AUTHORITIES: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "1239"),  # 机关, 事业单位, 中央编办直管的群众团体, 其他
    "2": ("外交", "19"),  # 外国常驻新闻机构, 其他
    "3": ("司法行政", "123459"),  # 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会
    "4": ("文化", "19"),  # 外国在华文化中心, 其他
    "5": ("民政", "1239"),  # 社会团体, 民办非企业单位, 基金会, 其他
    "6": ("旅游", "129"),  # 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻代表机构, 其他
    "7": ("宗教", "129"),  # 宗教活动场所, 宗教院校, 其他
    "8": ("工会", "19"),  # 基层工会, 其他
    "9": ("工商", "123"),  # 企业, 个体工商户, 农民专业合作社 (now 市场监管)
    "A": ("中央军委改革和编制办公室", "19"),  # 军队事业单位, 其他
    "N": ("农业", "1239"),  # 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": ("其他", "1"),
}
# The first two digits of a GB/T 2260 division: the provinces, plus 10 for 100000, which GB
# 32100 gives to the national registering offices. Only the province is checked: a code keeps
# the division of its registering office when that county is later merged or renamed.
PROVINCES = frozenset(
    {"10"}
    | {f"{n}" for n in range(11, 16)}  # 北京 天津 河北 山西 内蒙古
    | {f"{n}" for n in range(21, 24)}  # 辽宁 吉林 黑龙江
    | {f"{n}" for n in range(31, 38)}  # 上海 江苏 浙江 安徽 福建 江西 山东
    | {f"{n}" for n in range(41, 47)}  # 河南 湖北 湖南 广东 广西 海南
    | {f"{n}" for n in range(50, 55)}  # 重庆 四川 贵州 云南 西藏
    | {f"{n}" for n in range(61, 66)}  # 陕西 甘肃 青海 宁夏 新疆
    | {"71", "81", "82"}  # 台湾 香港 澳门
)


def normalise_uscc(raw: object) -> str:
    """Full-width characters, spaces, hyphens and lower case are accepted and cleaned."""
    text = to_half_width(str(raw or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


@lru_cache(maxsize=131_072)
def _checked(code: str) -> str:
    """The structural check, remembered for valid codes: an import checks each code when it
    reads the sheet and again when it builds the enterprise. The import empties it when done
    (forget_checked_codes), so a worker does not keep 100,000 codes."""
    _check_structure(code)
    return code


def forget_checked_codes() -> None:
    _checked.cache_clear()


def validate_uscc(raw: object) -> str:
    """The cleaned code, or ValidationError saying which part is wrong: the length, a
    character, the registration authority, the kind of organisation, the division or the
    check character."""
    code = normalise_uscc(raw)
    if not code:
        raise ValidationError(_("The unified social credit code is empty."), code="empty")
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; %(code)s has %(n)d.")
            % {"code": shown(code), "n": len(code)},
            code="length",
        )
    return _checked(code)


def _check_structure(code: str) -> None:
    bad = [ch for ch in code if ch not in _ALPHABET_SET]
    if bad:
        raise ValidationError(
            _(
                "The unified social credit code %(code)s contains %(chars)s, which a code never "
                "uses (I, O, S, V and Z are not used)."
            )
            % {"code": code, "chars": "、".join(dict.fromkeys(bad))},
            code="character",
        )
    authority = AUTHORITIES.get(code[0])
    if authority is None:
        raise ValidationError(
            _(
                "The first character of %(code)s, %(char)s, is not a registration authority of "
                "GB 32100 (%(known)s)."
            )
            % {"code": code, "char": code[0], "known": "、".join(AUTHORITIES)},
            code="authority",
        )
    name, categories = authority
    if code[1] not in categories:
        raise ValidationError(
            _(
                "The second character of %(code)s, %(char)s, is not a kind of organisation "
                "registered by %(authority)s (registration authority %(first)s): it must be "
                "one of %(known)s."
            )
            % {
                "code": code,
                "char": code[1],
                "authority": name,
                "first": code[0],
                "known": "、".join(categories),
            },
            code="category",
        )
    division = code[2:8]
    if not division.isdigit() or division[:2] not in PROVINCES:
        raise ValidationError(
            _(
                "Characters 3 to 8 of %(code)s, %(division)s, are not an administrative "
                "division of China (six digits, e.g. 440400)."
            )
            % {"code": code, "division": division},
            code="division",
        )
    expected = calc_check_digit(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of %(code)s is wrong: it should be %(expected)s. Check the "
                "code for a typing mistake."
            )
            % {"code": code, "expected": expected},
            code="checksum",
        )


def is_valid_uscc(raw: object) -> bool:
    try:
        validate_uscc(raw)
    except ValidationError:
        return False
    return True
