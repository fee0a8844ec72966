"""Archive-level entity resolution: one entity per person or organization across the archive.

What the rest of the app may use: the background run (`resolve_new_mentions`) and a
resolution of chosen entities (`resolve`), and whether a run has work (`unread_mentions`);
for staff, the pairs it leaves to people (`possible_duplicates`, of the `DUPLICATE_KINDS`),
checked (`live_pair`) and dismissed (`dismiss_pair`) or merged (`articles.curation.merge`).
"""
from articles.enrichment.resolution.duplicates import KINDS as DUPLICATE_KINDS
from articles.enrichment.resolution.duplicates import dismiss_pair, live_pair, possible_duplicates
from articles.enrichment.resolution.resolver import resolve, resolve_new_mentions, unread_mentions

__all__ = ["DUPLICATE_KINDS", "dismiss_pair", "live_pair", "possible_duplicates", "resolve",
           "resolve_new_mentions", "unread_mentions"]
