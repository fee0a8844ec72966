"""Every search has an Atom feed of its newest matches, the entities as categories.

"Newest" is the order articles entered the archive (id), not their publication date:
a feed reader should see an article when it arrives, even one published long ago.
An entry's title and summary are the article's title and highlighted snippet with the
search's words marked, as the search page shows them (the snippet is its opening lines
when the search has no words). Both are HTML by Atom's rules (the title's type="html"):
Elasticsearch's html encoder escaped the text, leaving only <mark> as markup, and the
feed generator escapes the whole once more as XML text, like every other text.
"""
import re
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article
from articles.search import (
    ENTITY_FACETS,
    article_urls,
    execute_raw,
    export_row,
    export_search,
    highlighted_title,
    snippet,
)

from .searches import canonical_query, describe, feed_url, search_url

FEED_SIZE = 50


def newest_matches(params, size=FEED_SIZE):
    """The `size` articles `params` finds that entered the archive last, newest first, as
    dicts with their entities, the time they were stored and their highlighted title and snippet."""
    search = export_search(params, 0, size, highlighted=True).build_search().sort({"id": {"order": "desc"}})
    url_of = article_urls()
    rows = [{**export_row(hit, url_of), "title_html": highlighted_title(hit), "snippet": snippet(hit)}
            for hit in execute_raw(search)["hits"]["hits"]]
    stored = {
        row["id"]: row
        for row in Article.objects.filter(id__in=[r["id"] for r in rows]).values("id", "created_at", "published_at")
    }
    return [{**row, **stored[row["id"]]} for row in rows if row["id"] in stored]


# Characters XML 1.0 forbids: controls other than tab, newline and return, U+FFFE, U+FFFF and
# lone surrogates. Articles and typed queries may hold them; a feed must not.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text):
    """`text` without the characters XML 1.0 forbids."""
    return _NOT_IN_XML.sub("", text)


class XMLSafeGenerator(SimplerXMLGenerator):
    """Leaves out the characters XML forbids, where Django's generator fails on them; once
    `html_titles` is set (the entries), titles are written as Atom's HTML text."""

    html_titles = False

    def characters(self, content):
        super().characters(xml_text(content) if content else content)

    def startElement(self, name, attrs):
        if name == "title" and self.html_titles:
            attrs = {**(attrs or {}), "type": "html"}
        super().startElement(name, {key: xml_text(value) for key, value in attrs.items()} if attrs else attrs)


class EntityAtomFeed(Atom1Feed):
    """Atom 1.0 whose entry categories say which kind of entity each is (scheme) and read
    well (label), written without the characters XML forbids."""

    def write(self, outfile, encoding):
        """Atom1Feed.write, with the XML-safe generator (Django offers no hook for it)."""
        handler = XMLSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        handler.html_titles = True  # the entries' titles (highlighted); the feed's own is text
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for scheme, term, label in item["entities"]:
            handler.addQuickElement("category", "", {"term": term, "scheme": scheme, "label": label})


class SearchFeed(Feed):
    feed_type = EntityAtomFeed
    subtitle = "The articles this search finds, newest arrivals first."

    def __init__(self, params):
        super().__init__()
        self.params = params
        self.query = canonical_query(params)

    def get_object(self, request, *args, **kwargs):
        self.host = urlsplit(request.build_absolute_uri("/")).hostname or "localhost"
        return self.params

    def title(self, params):
        return f"newsarchive: {describe(params)}"

    def link(self, params):
        return search_url(self.query)

    def feed_url(self, params):
        return feed_url(self.query)

    def items(self, params):
        return newest_matches(params)

    def item_title(self, item):
        return item["title_html"]

    def item_link(self, item):
        return item["url"]

    def item_description(self, item):
        return item["snippet"]

    def item_guid(self, item):
        """A tag URI (RFC 4151) that stays the article's own however the site's paths change."""
        return f"tag:{self.host},{item['created_at']:%Y-%m-%d}:article/{item['id']}"

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["created_at"]

    def item_extra_kwargs(self, item):
        return {"entities": [
            (f"tag:{self.host},2025:{facet.name}", entity["label"], f"{facet.title}: {entity['label']}")
            for facet in ENTITY_FACETS
            for entity in item[facet.field]
        ]}
