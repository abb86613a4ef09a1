"""Work that outlives a request: background jobs (an import, a large export) with their input
and result files, and the 督办 reminders: the notices each user gets, what they muted, the
zone's channels with every delivery, the Chinese working-day calendar's entered days and each
day's run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work a user asked for. Its live progress (rows read, checked,
    written) is kept outside the database while it runs (jobs/progress.py), since the write it
    reports on holds a transaction; the row is brought up to date between the steps."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("user"),
    )
    zone = models.ForeignKey(
        "accounts.Zone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    label = models.CharField(_("job"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The same work asked for twice (an upload confirmed twice) is one job: the key of a job
    # that has not failed is unique.
    dedupe_key = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    message = models.TextField(_("message"), blank=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key="") & ~Q(status="failed"),
                name="job_dedupe_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="job_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class JobFile(models.Model):
    """A job's input (the upload it imports), result (the workbook it exported, to download) or
    data (what a page of its kind reads back: a check's preview), kept in the database so that
    a worker on another machine reads and writes it too."""

    class Role(models.TextChoices):
        INPUT = "input", _("Input")
        RESULT = "result", _("Result")
        DATA = "data", _("Data")  # kept for a page to read (a check's preview), no download

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10, choices=Role.choices)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "role"], name="jobfile_one_per_role")]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """An in-app reminder: one per user, kind, item and day (a second run that day finds it
    there and adds nothing)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(max_length=80)  # the item's identity, e.g. "blocker:12"
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-day", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key", "day"], name="notice_once_a_day")
        ]
        indexes = [models.Index(fields=["user", "read_at", "-day"], name="notice_user_unread")]

    def __str__(self) -> str:
        return self.title


class ReminderMute(models.Model):
    """A kind of reminder a user asked not to get."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_mutes"
    )
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminder_mute_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class Channel(models.Model):
    """Where a zone's daily digest goes, as an apprise URL (企业微信 group bot, 钉钉 bot,
    email …). The URL carries the bot's key or the mailbox's password: it is never shown
    whole once saved."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group bot")
        DINGTALK = "dingtalk", _("DingTalk bot")
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook (JSON)")

    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.TextField(_("address"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_ok_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="channel_name_in_zone")
        ]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One message sent (or tried) to a channel: the day's digest, once per channel and day,
    or a test."""

    class Purpose(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        TEST = "test", _("Test")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    day = models.DateField(_("day"))
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "day"],
                condition=Q(purpose="digest"),
                name="delivery_digest_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.day} · {self.status}"


class CalendarDay(models.Model):
    """A day of the State Council's holiday notice entered by hand, for a year the holiday
    library does not know yet (or to correct it): a holiday, or a make-up working day (调休)."""

    day = models.DateField(_("day"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)  # 春节, 国庆节 …
    source = models.CharField(_("document"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class ReminderRun(models.Model):
    """A zone's reminder run on a day: when it ran and what it did (a second run that day
    adds to nothing already done)."""

    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(_("items due"), default=0)
    notices = models.PositiveIntegerField(_("notices"), default=0)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=0)

    class Meta:
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return f"{self.zone} · {self.day}"
