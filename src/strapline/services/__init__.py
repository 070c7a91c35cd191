"""Strapline services layer."""
