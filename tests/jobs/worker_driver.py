"""The other side of tests/jobs/test_worker.py: a Django process on the test's own database
file and queue (its environment says which), asking for jobs and reading them back through
the services, as the web pages do. It reads one JSON command a line on stdin and answers each
with one line `@@ {json}` on stdout (anything else Django prints is not an answer).

Run by the test as `python -m tests.jobs.worker_driver` with
DJANGO_SETTINGS_MODULE=tests.jobs.worker_settings."""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any


def main() -> None:
    import django

    django.setup()

    from django.db import connection

    from gaoxin.accounts.models import Department, User, Zone
    from gaoxin.jobs import progress, services
    from gaoxin.jobs.models import Job, JobFile
    from tests.jobs.slowapp.kind import name_prefix

    def user() -> User:
        return User.objects.get(username="worker-test")

    def handle(command: dict[str, Any]) -> Any:
        what = command["do"]
        if what == "setup":
            zone, _ = Zone.objects.get_or_create(code="wt", defaults={"name": "测试园区"})
            User.objects.get_or_create(username="worker-test")
            return {"zone": zone.pk}
        if what == "submit":
            job = services.job_submit(
                user=user(),
                zone=Zone.objects.get(code="wt"),
                kind="test-slow",
                label="慢任务",
                params=command.get("params", {}),
                same_as=command.get("same_as", ""),
            )
            return {"job": job.pk}
        if what == "enqueue":  # the same job handed to the queue once more
            services.enqueue(command["job"])
            return {}
        if what == "progress":
            return progress.read(command["job"]) or {}
        if what == "state":
            job = Job.objects.get(pk=command["job"])
            result = JobFile.objects.filter(job=job, role=JobFile.Role.RESULT).first()
            return {
                "status": job.status,
                "stopped": services.job_stopped(job),
                "attempts": job.attempts,
                "message": job.message,
                "rows_written": job.rows_written,
                "rows": Department.objects.filter(name__startswith=name_prefix(job.pk)).count(),
                "names": sorted(
                    {
                        n.rsplit("-", 1)[0]
                        for n in Department.objects.filter(
                            name__startswith=name_prefix(job.pk)
                        ).values_list("name", flat=True)
                    }
                ),
                "result": [result.name, bytes(result.content).decode()] if result else None,
            }
        if what == "rerun":
            job = services.job_rerun(job=Job.objects.get(pk=command["job"]), by=user())
            return {"status": job.status}
        if what == "pending":  # messages waiting in the queue
            from huey.contrib.djhuey import HUEY

            return HUEY.pending_count()
        if what == "flush":  # the queue's keys in Redis, so the next run starts clean
            from huey.contrib.djhuey import HUEY

            HUEY.storage.flush_all()
            return {}
        raise ValueError(f"unknown command {what!r}")

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = {"ok": handle(json.loads(line))}
        except Exception:
            answer = {"error": traceback.format_exc()}
        connection.close()  # every answer reads the file afresh, as a new request would
        sys.stdout.write("@@ " + json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
