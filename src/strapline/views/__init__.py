"""Strapline views layer."""
