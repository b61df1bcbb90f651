"""Extractors: pure functions from a cleaned, parsed article to typed records."""
