"""`gaoxin`: manage.py under the project's name, with its own commands (demo, serve, metrics,
import, generate, backup, restore …) beside Django's."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gaoxin", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
