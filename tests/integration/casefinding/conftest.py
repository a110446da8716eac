"""Helpers for the case-finding command tests."""

import re


def plain(output: str) -> str:
    """Command output with Rich's panel borders and line wrapping removed, for matching text."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", output).split())
