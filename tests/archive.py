"""A small English archive written for the search tests: rows created directly, then indexed."""
import hashlib
from datetime import date, datetime, timedelta, timezone

from articles.indexing import index_articles
from articles.models import Article, Entity, Mention

PUTIN = ("person", "vladimir putin", "Vladimir Putin")
XI = ("person", "xi jinping", "Xi Jinping")
REAGAN = ("person", "ronald reagan", "Ronald Reagan")
RUSSIA, CHINA = ("country", "RU", "Russia"), ("country", "CN", "China")
USA, SAUDI = ("country", "US", "United States"), ("country", "SA", "Saudi Arabia")
KREMLIN = ("organization", "kremlin", "Kremlin")
WTO = ("organization", "world trade organization", "World Trade Organization")
OPEC = ("organization", "opec", "OPEC")

# key: (title, body, source, published day or None, [(entity, surface), ...])
ARCHIVE = {
    "moscow": (
        "Leaders meet in Moscow",
        "Vladimir Putin welcomed Xi Jinping to Moscow on Monday. Russia and China talked about "
        "trade and energy. The Kremlin called the visit friendly, and Putin thanked Xi.",
        "Bloomberg", date(2023, 3, 20),
        [(PUTIN, "Vladimir Putin"), (PUTIN, "Putin"), (XI, "Xi Jinping"), (XI, "Xi"), (RUSSIA, "Russia"),
         (CHINA, "China"), (KREMLIN, "Kremlin")],
    ),
    "grain": (
        "Grain talks resume in Geneva",
        "Negotiators from the United States and China resumed grain talks under the World Trade "
        "Organization. Xi Jinping sent a letter of support.",
        "Reuters", date(1987, 3, 5),
        [(XI, "Xi Jinping"), (USA, "United States"), (CHINA, "China"), (WTO, "World Trade Organization")],
    ),
    "budget": (
        "Budget fight in Washington",
        "Ronald Reagan's budget met resistance as the United States argued over spending.",
        "Reuters", date(1987, 3, 25),
        [(REAGAN, "Ronald Reagan"), (USA, "United States")],
    ),
    "oil": (
        "Oil prices climb",
        "Saudi Arabia said OPEC would hold output steady, and oil prices climbed in London trading.",
        "Reuters", date(1987, 4, 10),
        [(SAUDI, "Saudi Arabia"), (OPEC, "OPEC")],
    ),
    "energy": (
        "Energy ministers gather in Vienna",
        "Ministers met in Vienna on Tuesday to compare notes on winter supplies.",
        "Reuters", date(1987, 10, 19),
        [],
    ),
    "museum": (
        "A museum opens its doors",
        "The city museum opened a new wing. Every visit is free on Sundays, the director said.",
        "BBC", None,
        [],
    ),
}

# Wires of 1987, one item dated 2005 among them and two without a date (one of them OPEC's):
# enough dated articles (FAR_MIN_ARTICLES) for the 2005 item to be a far date.
FAR_DATED = {
    **{f"wire{n}": (f"Wire report {n}", f"Markets moved on day {n}.", "Reuters", date(1987, 2 + n % 9, 1 + n), [])
       for n in range(20)},
    "late": ("Oil item filed in 2005", "Oil prices, in an item filed long after.", "Reuters", date(2005, 6, 15), []),
    "undated": ("Undated wire", "No date came with this wire.", "", None, []),
    "undated_opec": ("OPEC wire without a date", "OPEC ministers will meet again.", "Reuters", None,
                     [(OPEC, "OPEC")]),
}


def make_article(title, body, source, day, mentions):
    """An article row with its entities and mentions (offsets found in the body)."""
    published = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc) if day else None
    # bulk_create sends no post_save signal, so no processing task is queued.
    (article,) = Article.objects.bulk_create([Article(
        title=title, body=body, source=source, published_at=published,
        content_hash=hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
        enrichment_status=Article.Enrichment.ENRICHED, enriched_at=datetime.now(timezone.utc),  # its entities are written below
    )])
    for (kind, key, name), surface in mentions:
        entity, _ = Entity.objects.get_or_create(kind=kind, key=key, defaults={"name": name})
        offsets, start = [], body.find(surface)
        while start >= 0:
            offsets.append([start, start + len(surface)])
            start = body.find(surface, start + len(surface))
        Mention.objects.create(article=article, entity=entity, surface=surface, count=len(offsets), offsets=offsets)
    return article


def build_archive(articles=ARCHIVE):
    rows = {key: make_article(*spec) for key, spec in articles.items()}
    index_articles(Article.objects.all(), refresh=True)
    return rows


def ref(entity):
    """The stable id of one of the entities above ((kind, key, name)), once stored."""
    kind, key, _ = entity
    return Entity.objects.get(kind=kind, key=key).ref


def harbour_reports(count):
    """`count` articles that all match "harbour", one a day from 1 January 1990: report n on
    day n, so a search sorted by date (newest first) has report count - p + 1 at place p."""
    return {
        f"harbour {n}": (f"Harbour report {n}", f"Ships left the harbour on day {n} of the season.", "Reuters",
                         date(1990, 1, 1) + timedelta(days=n - 1), [])
        for n in range(1, count + 1)
    }
