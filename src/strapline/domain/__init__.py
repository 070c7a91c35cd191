"""Strapline domain layer."""
