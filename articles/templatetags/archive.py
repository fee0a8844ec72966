"""Template filters for the archive's pages."""
from datetime import date

from django import template

register = template.Library()


@register.filter
def iso_date(value):
    """ "1987-03-05T10:00:00+00:00" -> "5 Mar 1987"; empty -> "Date unknown"."""
    if not value:
        return "Date unknown"
    day = date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%b} {day.year}"


UNITS = {"stories": ("story", "stories"), "articles": ("article", "articles")}  # what a count counts


@register.filter
def unit(count, what):
    """The word for `count` of `what` ("stories" or "articles"): 1 story, 3 stories."""
    one, many = UNITS[what]
    return one if count == 1 else many
