"""Links from any page: a search's feed and saving it (in canonical form), a story followed, and back here after signing in."""
from urllib.parse import quote

from django import template
from django.urls import reverse

from .. import searches

register = template.Library()

# The longest address a sign-in link carries back; a longer one (a query of junk parameters)
# returns to the page without its query, so the links cannot multiply a page's size.
MAX_RETURN_LENGTH = 2000


@register.simple_tag(takes_context=True)
def feed_url_for(context, params):
    return searches.feed_url(searches.canonical_query(params), context["request"].user)


@register.simple_tag
def save_url_for(params):
    query = searches.canonical_query(params)
    return f"{reverse('following:save')}?{query}" if query else reverse("following:save")


@register.simple_tag(takes_context=True)
def followed_story(context, article_id):
    """The reader's saved search following the story of article `article_id`, or None."""
    return searches.followed_story(context["request"].user, article_id)


@register.simple_tag(takes_context=True)
def return_here(context):
    """"?next=<this page>" for the sign-in and sign-up links; nothing on those pages
    themselves (returning to the sign-in page once signed in would be a loop)."""
    request = context["request"]
    if request.path in (reverse("following:login"), reverse("following:signup")):
        return ""
    here = request.get_full_path()
    return "?next=" + quote(here if len(here) <= MAX_RETURN_LENGTH else request.path, safe="/")
