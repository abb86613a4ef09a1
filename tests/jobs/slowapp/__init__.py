"""A test-only app (installed by tests/jobs/worker_settings.py) whose job kind writes many rows
slowly in one transaction, so that a test can kill its worker half-way."""
