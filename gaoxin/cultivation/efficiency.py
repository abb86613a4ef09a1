"""(The efficiency part of the radars: filled by its work package.)"""


def register() -> None:
    """Register this part's radars and hooks (called from CultivationConfig.ready)."""
