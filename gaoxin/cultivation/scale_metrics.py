"""The scale part's figures (filled by its work package)."""
