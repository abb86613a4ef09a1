"""The designation part's figures (filled by its work package)."""
