"""The economy's figures (keys under `economy.`): each part registers its own in its module,
and core's discovery of `metrics` modules reaches them through this one."""

from gaoxin.economy.dispatch import metrics as dispatch_metrics
from gaoxin.economy.figures import metrics as figure_metrics
from gaoxin.economy.reporting import metrics as reporting_metrics

__all__ = ["dispatch_metrics", "figure_metrics", "reporting_metrics"]
