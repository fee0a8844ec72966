"""Every article a search finds, however many, for the CSV and JSON Lines exports.

from/size stops at Elasticsearch's result window (MAX_RESULTS), so an export reads through a
point in time (PIT: the index as it was when the export began, so articles indexed or deleted
meanwhile neither add, drop nor repeat rows) page after page with `search_after`, in the
search's own order. It holds one page of hits at a time (two while the next one arrives),
never the rows already given, so its memory stays flat however large the result set
(docs/performance.md, "Export").
"""
import logging
from itertools import chain

from articles.indexing import index_name
from articles.search import client, query, results

logger = logging.getLogger(__name__)

PAGE = 1000  # hits per request
KEEP_ALIVE = "1m"  # how long the PIT outlives a page: each page renews it, so only a stalled reader loses it


class Export:
    """The rows (`results.export_row`) of every article `params` finds, in its order.

    Making one opens the PIT and runs the first page, so a query Elasticsearch refuses
    (SearchParamError) or an unavailable Elasticsearch (`client.UNAVAILABLE`) raises here,
    before a response has begun; `total` is the exact count the rows will reach. Iterate
    it once; `close()` releases the PIT at once, also when the rows were not all read (a
    client that went away): WSGI servers close a response's body whether or not it was sent
    to the end, and so does a `with` block. An export dropped without `close()` asks nothing
    of Elasticsearch (no request from the garbage collector, at whatever point it runs:
    such a request once waited for ever on the client's connection pool); its PIT expires
    after KEEP_ALIVE.
    """

    def __init__(self, params, page=PAGE):
        self._url_of = results.article_urls()  # inside the request: it reads the script prefix
        self._client = client.search_client()
        self._pit = self._client.open_point_in_time(index=index_name(), keep_alive=KEEP_ALIVE)["id"]
        try:
            self._pages = self._read(query.export_page_request(params, page), page)
            self._first = next(self._pages)
        except BaseException:
            self.close()
            raise
        self.total = self._first["hits"]["total"]["value"]

    def __iter__(self):
        pages, self._first = chain([self._first], self._pages), None  # the first page is not kept to the end
        for response in pages:
            for hit in response["hits"]["hits"]:
                yield results.export_row(hit, self._url_of)

    def _read(self, request, size):
        """The export's responses, `size` hits each; only the first one counts the total."""
        after, first = None, True
        while first or after:
            body = {**request, "pit": {"id": self._pit, "keep_alive": KEEP_ALIVE}, "track_total_hits": first}
            if after:
                body["search_after"] = after
            with client.refusal_is_the_users():
                response = self._client.search(body=body).body
            self._pit = response.get("pit_id", self._pit)  # Elasticsearch may give the PIT a new id: the latest is closed
            hits = response["hits"]["hits"]
            after, first = hits[-1]["sort"] if len(hits) == size else None, False
            yield response

    def close(self):
        """Release the PIT (once); if Elasticsearch cannot be reached, it expires after KEEP_ALIVE anyway."""
        pit, self._pit = self._pit, None
        if pit is None:
            return
        try:
            self._client.close_point_in_time(id=pit)
        except client.UNAVAILABLE as exc:
            logger.warning("An export's point in time was left to expire (%s): %s", KEEP_ALIVE, exc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
