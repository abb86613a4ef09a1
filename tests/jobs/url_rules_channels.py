"""Who may open the reminder channels' pages (see tests/test_permission_matrix.py): only an
administrator; every other role is refused (403), anonymous users sent to log in. Each case
makes its own channel in the standing zone, pointing at a closed local port (the test button
fails at once instead of reaching the network)."""

from __future__ import annotations

from typing import Any

from tests.test_permission_matrix import Rule, everyone

ADMIN_ONLY = everyone(403, admin=200)
ADMIN_POSTS = everyone(403, admin=302)


def _channel(ctx: dict[str, Any]) -> dict[str, Any]:
    from gaoxin.jobs.models import Channel

    channel = Channel.objects.create(
        zone=ctx["zone"], name="督办平台", kind="webhook", url="json://127.0.0.1:9/hook"
    )
    return {"pk": channel.pk}


RULES = {
    "channels:list": Rule(expect=ADMIN_ONLY),
    "channels:add": Rule(kwargs=lambda ctx: {"kind": "wecom"}, expect=ADMIN_ONLY),
    "channels:detail": Rule(kwargs=_channel, expect=ADMIN_ONLY),
    "channels:edit": Rule(kwargs=_channel, expect=ADMIN_ONLY),
    "channels:delete": Rule(kwargs=_channel, expect=ADMIN_ONLY, notes="the confirmation"),
    "channels:test": Rule(method="post", kwargs=_channel, expect=ADMIN_POSTS),
    "channels:active": Rule(
        method="post", kwargs=_channel, data=lambda ctx: {"active": "0"}, expect=ADMIN_POSTS
    ),
}
