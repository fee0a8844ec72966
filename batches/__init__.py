"""Batch search: a reader's list of searches (a name, a company, a query per line) run against
the whole archive in the background, with a table of what each line finds.

    lists    an uploaded file -> lines to search, and the problems of the others
    models   a batch and its lines, each line's results kept as it is searched
    runs     starting a run, a chunk of lines at a time, resuming a stalled one
    tasks    the worker's chunk task (queue "batches") and the resumer
    results  the results as the table's rows, the API's JSON, CSV and XLSX
    access   who asks: the reader signed in, or the bearer of their API token
    views, api, openapi, urls   the pages, the API and its description

Built on the search package (articles.search): each line is a SearchParams, and its counts come
from the search package's own requests. The project uses this app through its URLs
(batches.urls) and its part of the API description (batches.openapi).
"""
