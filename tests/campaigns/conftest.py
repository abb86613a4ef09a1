from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """The pages' messages are asserted in English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
