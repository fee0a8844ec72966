"""Template filters for the trends block that the search and entity pages include."""
from django import template
from django.urls import reverse

from ..params import compare_query

register = template.Library()


@register.filter
def query_part(url):
    """The query string of a URL, with its "?" ("/?q=oil" -> "?q=oil"); "" when it has none."""
    query = str(url).partition("?")[2]
    return f"?{query}" if query else ""


@register.filter
def compare_url(url):
    """The compare page with the search of `url` as its first series."""
    query = compare_query(str(url).partition("?")[2])
    return reverse("trends:compare") + (f"?{query}" if query else "")
