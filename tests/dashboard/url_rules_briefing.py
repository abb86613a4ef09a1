"""Who may open the work briefing (see tests/test_permission_matrix.py): the administration's
leaders and officers; department and enterprise users are refused."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


READERS_ONLY = answers(
    admin=200, leader=200, officer=200, department=403, enterprise=403, outsider=200
)

RULES = {
    "briefing:index": Rule(expect=READERS_ONLY),
    "briefing:docx": Rule(expect=READERS_ONLY),
    "briefing:xlsx": Rule(expect=READERS_ONLY),
}
