"""Ingest: reading uploaded files, cleaning their text and importing them as articles. Outside
the articles app, only what this door exports is used (batches/ decodes readers' lists with it)."""
from articles.ingest.readers import decode_text

__all__ = ["decode_text"]
