"""Strapline io layer."""
