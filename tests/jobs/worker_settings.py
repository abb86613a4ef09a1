"""Settings of the real worker's test (tests/jobs/test_worker.py): the project's, with the
test app whose job kind writes slowly, and the schema made from the models at once
(`migrate --run-syncdb`) instead of by replaying every migration, which takes minutes."""

from gaoxin.settings import *  # noqa: F403
from gaoxin.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.jobs.slowapp.apps.SlowAppConfig"]


class _NoMigrations(dict[str, None]):
    def __contains__(self, app: object) -> bool:
        return True

    def __getitem__(self, app: str) -> None:
        return None


MIGRATION_MODULES = _NoMigrations()

# The workers here run the test's jobs alone: the figures' warming (on with REDIS_URL) is
# tested in tests/dashboard/test_warm.py.
GAOXIN_FIGURE_WARM = False
