"""Putting prices on paths and findings."""
