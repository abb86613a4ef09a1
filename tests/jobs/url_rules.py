"""Who may open 我的任务 (see tests/test_permission_matrix.py): everyone signed in sees their own
jobs; a job is seen, downloaded and run again by its owner only (anyone else: 404)."""

from tests.test_permission_matrix import Rule, everyone

OWNER_ONLY = everyone(404, officer=200)

RULES = {
    "jobs:list": Rule(expect=everyone(200)),
    "jobs:detail": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["failed_job"].pk}, expect=OWNER_ONLY
    ),
    "jobs:download": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["done_job"].pk}, expect=OWNER_ONLY
    ),
    "jobs:rerun": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["failed_job"].pk},
        expect=everyone(404, officer=302),
    ),
}
