"""Shipped unit costs and inflation index (CSV files, meant to be edited or replaced)."""
