"""The efficiency part's figures (filled by its work package)."""
