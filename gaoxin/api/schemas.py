"""Shapes shared by the API's areas."""

from typing import Annotated

from ninja import Field, Path, Schema


class Ref(Schema):
    """Another record, named: its id and its name as the pages show it."""

    id: int
    name: str


# An id in a path or a filter: a whole number the databases can hold (a larger one would be an
# overflow, not a 404).
MAX_ID = 2**62
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
FilterId = Annotated[int | None, Field(None, ge=1, le=MAX_ID)]
