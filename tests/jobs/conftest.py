"""The jobs tests' fixtures: the channels' local HTTP receiver and SMTP sink."""

from tests.jobs.channel_fixtures import http_receiver, smtp_sink

__all__ = ["http_receiver", "smtp_sink"]
