"""Who may import enterprises: admins and officers, into their working zone. The outsider is
an officer of another zone, so he may open the page: he would import into his own zone."""

from __future__ import annotations

from tests.test_permission_matrix import LOGIN, Rule

WRITERS_ONLY = {
    "anonymous": LOGIN,
    "admin": 200,
    "leader": 403,
    "officer": 200,
    "department": 403,
    "enterprise": 403,
    "outsider": 200,
}

RULES = {
    "enterprise_import:upload": Rule(expect=WRITERS_ONLY),
    "enterprise_import:template": Rule(expect=WRITERS_ONLY),
    # Nothing is pending in the session: writers are sent back to the upload page.
    "enterprise_import:confirm": Rule(
        method="post", expect={**WRITERS_ONLY, "admin": 302, "officer": 302, "outsider": 302}
    ),
    # A large sheet's preview, checked by a job: no such job of theirs, so writers get 404.
    "enterprise_import:checked": Rule(
        kwargs=lambda ctx: {"pk": 999_999},
        expect={**WRITERS_ONLY, "admin": 404, "officer": 404, "outsider": 404},
    ),
}
