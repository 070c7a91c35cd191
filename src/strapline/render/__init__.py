"""Strapline render layer."""
