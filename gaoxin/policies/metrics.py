"""The policy work's figures live beside their services; importing them registers them."""

from gaoxin.policies import campaign_metrics, policy_metrics  # noqa: F401
