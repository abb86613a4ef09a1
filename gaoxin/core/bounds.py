"""What a zone's amounts and areas can be. A value outside these is a typing mistake (or an
attack), not a figure: forms, imports and the database all refuse it, so a stored value always
reads back exactly on SQLite (whose decimals are 8-byte floats: 15 significant digits) and on
PostgreSQL alike."""

from __future__ import annotations

from decimal import Decimal

# Below 1万亿元 (10^12 yuan): more than any zone's investment, output or capital.
MONEY_MAX = Decimal("999999999999.99")
# Below 1亿 m² (100 km²): more than any zone's land or floor area.
AREA_MAX = Decimal("99999999.99")
# Head counts and other whole numbers a person types.
COUNT_MAX = 10_000_000
