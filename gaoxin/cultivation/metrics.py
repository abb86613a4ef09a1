"""The radars' figures (keys under `radar.`): each part registers its own in its module, and
core's discovery of `metrics` modules reaches them through this one."""

from gaoxin.cultivation import (
    designation_metrics,
    efficiency_metrics,
    followup_metrics,
    scale_metrics,
)

__all__ = ["designation_metrics", "efficiency_metrics", "followup_metrics", "scale_metrics"]
