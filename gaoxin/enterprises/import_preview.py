"""What the import's preview shows of a checked sheet: every row with problems and the first
good rows, each cell marked where it is wrong; and the same as plain data (JSON) for a sheet
too large to check inside the request, checked by a background job (import_jobs.py) whose
page then shows it."""

from __future__ import annotations

from typing import Any

from gaoxin.enterprises.imports import ImportResult

PREVIEW_GOOD_ROWS = 500  # rows without problems shown in the preview; bad rows are all shown


def preview_table(result: ImportResult) -> list[dict[str, Any]]:
    table = []
    good_shown = 0
    for row in result.rows:
        if not row.problems:
            good_shown += 1
            if good_shown > PREVIEW_GOOD_ROWS:
                continue
        bad = row.bad_columns
        table.append(
            {
                "row": row.row,
                "cells": [
                    {"text": text, "bad": header in bad}
                    for text, header in zip(row.cells, result.headers, strict=True)
                ],
                "problems": [
                    {"column": problem.column, "message": problem.message}
                    for problem in row.problems
                ],
            }
        )
    return table


def preview_context(result: ImportResult) -> dict[str, Any]:
    """The preview template's `result`, `table` and `hidden_rows`, as plain data: a checking
    job keeps them (JSON) for its page."""
    return {
        "result": {
            "ok": result.ok,
            "counts": result.counts,
            "header_row": result.header_row,
            "headers": result.headers,
            "ignored_headers": result.ignored_headers,
            "units": [
                {"header": unit.header, "unit": unit.unit, "explanation": unit.explanation}
                for unit in result.units
            ],
            "errors": [str(problem) for problem in result.errors[:200]],
            "error_count": len(result.errors),
        },
        "table": preview_table(result),
        "hidden_rows": max(0, result.counts["good"] - PREVIEW_GOOD_ROWS),
    }
