"""Strapline renderer layer."""
