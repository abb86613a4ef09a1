"""Who may open 数据核对 (see tests/test_permission_matrix.py): the work briefing's readers, the
administration's leaders and officers; department and enterprise users are refused."""

from tests.test_permission_matrix import Rule

RULES = {
    "factcheck:index": Rule(
        expect={
            "anonymous": 302,
            "admin": 200,
            "leader": 200,
            "officer": 200,
            "department": 403,
            "enterprise": 403,
            "outsider": 200,
        }
    ),
}
