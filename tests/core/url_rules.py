"""Who may open core's own pages (see tests/test_permission_matrix.py): the signed-in ping
answers everyone signed in, whatever the role."""

from tests.test_permission_matrix import Rule, everyone

RULES = {
    "core:ping": Rule(expect=everyone(200)),
}
