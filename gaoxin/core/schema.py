"""Helpers for migrations that mix data steps with schema steps."""

from __future__ import annotations

from typing import Any


def settle_deferred_checks(schema_editor: Any) -> None:
    """Run now the foreign-key checks PostgreSQL defers to the end of the transaction.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so rows a data step deletes
    leave checks pending until commit, and a schema step after it in the same migration (the
    table dropped when the migration is unapplied) fails with "cannot DROP TABLE … because it
    has pending trigger events". Call this at the end of such a data step; the later checks
    stay deferred as before."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
