"""Gaoxin (高新): the working platform of a high-tech zone administration."""
