"""Onderdak: structural reception and temporary housing for Dutch municipalities."""

__version__ = "0.1.0"
