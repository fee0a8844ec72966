"""Archive-level entity resolution: one entity per person or organization across the archive.

What the rest of the app may use: the background run (`resolve_new_mentions`) and a
resolution of chosen entities (`resolve`), and whether a run has work (`unread_mentions`).
"""
from .resolver import resolve, resolve_new_mentions, unread_mentions

__all__ = ["resolve", "resolve_new_mentions", "unread_mentions"]
