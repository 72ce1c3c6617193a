"""Meldbot's domain: reports, drafts, neighbourhoods and the rules around them (framework-free)."""
