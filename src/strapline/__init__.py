"""Strapline: a broadcast graphics controller for live sport."""

__version__ = "0.1.0"
