"""Insights has no models of its own: it reads aggregates from the referral records."""
