"""Upstream: an open platform for community-led prevention in hospital pathways."""

__version__ = "0.1.0"
