"""Strapline osc layer."""
