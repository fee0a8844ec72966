"""Trends over the archive: attention to several searches over time (compare), and the
entities whose share of a search's articles rose most against the previous period (rising).

Built on the search package: each series is a SearchParams, and the requests reuse its
queries and date histogram.
"""
