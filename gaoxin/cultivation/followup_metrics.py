"""The followup part's figures (filled by its work package)."""
