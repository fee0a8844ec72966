"""Measure entity extraction against the shared gold data and print a table.

    DEBUG=1 .venv/bin/python manage.py entity_quality [--data DIR] [--limit N]

Every kind, per source, beside its baseline. Persons: CoNLL-2003 dev PER
entities, per document. A predicted person matches a gold one when either name
contains the other's last word; mentions of one person collapse to one. Raw
spaCy PERSON entities are scored the same way as the baseline. Organizations:
CoNLL-2003 dev ORG entities, per document, the same way: two names are one
organization when their words match with case, punctuation, "the" and legal
forms (cleanco) ignored, when one is the other's initials ("OSCE") or when one
is the other's last words ("Commission" of "European Commission"); raw spaCy
ORG entities are the baseline. Countries: Reuters-21578 editors' `places`
(documents that have some), micro-averaged over documents; the baseline reads
spaCy's GPE, NORP and LOC entities through the same gazetteer and adds the
dateline's country. Each text is analysed once; every row reads that analysis.
Seed: the people, countries and organizations of the seed article against the
lists in the data README.

    DEBUG=1 .venv/bin/python manage.py entity_quality --archive

Archive mode: what readers see across the archive in the database the settings
point at; nothing is extracted (articles/enrichment/quality.py). Reuters editors'
`people` and `orgs` tags of enriched articles against the entities stored on
them. A (tag, article) pair is linked when some entity of the kind on the
article carries the tag, by its name, its key or one of its surfaces on that
article; resolved when the tag's top entity (the carrier found on the most of
the tag's articles) is on it. Entities per tag: the distinct carriers found on
a tag's articles, averaged over the tags with at least one linked article. A
person carries a people slug when its name has all the slug's words, or its
words are some of them including the last or, for a two-word slug, one of them
(case, accents, titles and written-out umlauts ignored). An organization
carries an orgs slug when it is one of the slug's names in ORG_NAMES (case,
"the", legal form and British spellings ignored). Then the 50 live people and
organizations mentioned in the most enriched articles.
"""
import json
import time
from collections import namedtuple
from pathlib import Path

import pycountry
from cleanco import basename
from django.conf import settings
from django.core.management.base import BaseCommand

from articles.enrichment import quality as archive_quality
from articles.enrichment.nlp import get_nlp
from articles.entities import BATCH_SIZE, article_text, extract_entities, normalise_key

# Reuters place slugs that are not (current) country names, with the code the
# gazetteer gives: a historical state's own (gazetteer.HISTORICAL_STATES), or
# that of the country that continues a renamed one (docs/entities.md).
SLUG_CODES = {
    "uk": "GB",
    "ussr": "SUHH",
    "west-germany": "DE",
    "east-germany": "DDDE",
    "yugoslavia": "YUCS",
    "czechoslovakia": "CSHH",
    "zaire": "CD",
    "kampuchea": "KH",
    "burma": "MM",
    "uae": "AE",
    "ivory-coast": "CI",
    "south-korea": "KR",
    "north-korea": "KP",
    "yemen-arab-republic": "YE",
    "yemen-demo-republic": "YE",
    "trinidad-tobago": "TT",
    "antigua": "AG",
    "us-virgin-islands": "VI",
    "vatican": "VA",
    "congo": "CG",
    "western-samoa": "WS",
    "netherlands-antilles": "CW",
    "macao": "MO",
    "brunei": "BN",
    "cape-verde": "CV",
    "swaziland": "SZ",
    "turkey": "TR",
}
# How the texts are analysed: documents per data set, processes and batch size of nlp.pipe.
Options = namedtuple("Options", "limit n_process batch_size")
SEED_PEOPLE = {"Xi Jinping", "Vladimir Putin", "Li Qiang", "Joe Biden", "Wang Yi"}
SEED_COUNTRIES = {"CN", "RU", "UA", "US", "SA", "IR", "IN", "ID"}
SEED_ORGANIZATIONS = {"Reuters", "Bloomberg", "National People's Congress", "Group of 20"}
LABEL_WIDTH = 52


def read_jsonl(path, limit=None):
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)


def slug_code(slug):
    """Reuters `places` slug -> ISO alpha-2 ("usa" -> "US"), or None."""
    if slug in SLUG_CODES:
        return SLUG_CODES[slug]
    for name in (slug, slug.replace("-", " ")):
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            continue
    return None


def _words(name):
    from articles.entities.normalise import fold

    return fold(name).split()


def same_person(a, b):
    """One name contains the other's last word."""
    words_a, words_b = _words(a), _words(b)
    return bool(words_a and words_b) and (words_a[-1] in words_b or words_b[-1] in words_a)


def _organization_words(name):
    """Folded words without legal form, "the" or possessive: "The Boatmen's Co" -> boatmen."""
    words = _words(basename(name) or name)
    return [word for word in words if word not in {"the", "'s", "'"}]


def same_organization(a, b):
    """Equal words, or the shorter is the longer's initials or last words."""
    from articles.entities.organizations import initials

    short, long = sorted((_organization_words(a), _organization_words(b)), key=len)
    return bool(short) and (
        short == long
        or len(short) == 1 and len(long) > 1 and short[0] == initials(long)
        or long[len(long) - len(short):] == short
    )


def collapse(names, same):
    """Group a document's names into entities (`same`); one name stands for each."""
    entities = []
    for name in sorted(set(names), key=lambda name: (-len(name), name)):
        if not any(same(name, entity) for entity in entities):
            entities.append(name)
    return entities


class Score:
    """Micro-averaged precision and recall counts."""

    def __init__(self):
        self.true_predicted = self.predicted = self.true_gold = self.gold = 0

    def add(self, true_predicted, predicted, true_gold, gold):
        self.true_predicted += true_predicted
        self.predicted += predicted
        self.true_gold += true_gold
        self.gold += gold

    def row(self, label):
        precision = self.true_predicted / self.predicted if self.predicted else 0.0
        recall = self.true_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f"{label:<{LABEL_WIDTH}} {precision:>9.3f} {recall:>9.3f} {f1:>9.3f} {self.gold:>7}"


def score_names(score, predicted, gold, same):
    """Count one document: its predicted and gold names collapsed into entities."""
    predicted, gold = collapse(predicted, same), collapse(gold, same)
    score.add(
        sum(any(same(p, g) for g in gold) for p in predicted),
        len(predicted),
        sum(any(same(p, g) for p in predicted) for g in gold),
        len(gold),
    )


def analysed(nlp, texts, args, n_process=1):
    """(doc, entities) per text, in order: the steps of extract_entities
    (nlp.pipe, then entities_of), with the doc kept for the baselines so that
    every row of the table reads one analysis."""
    from articles.entities import entities_of

    for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=n_process):
        yield doc, entities_of(doc)


# What the CoNLL rows compare: our kind, spaCy's label and the gold type.
CONLL_KINDS = (("persons", "person", "PERSON", "PER", same_person),
               ("organizations", "organization", "ORG", "ORG", same_organization))


def conll_rows(nlp, data, args):
    """Persons and organizations against CoNLL-2003 dev, each beside raw spaCy."""
    docs = list(read_jsonl(data / "conll2003" / "dev.jsonl", args.limit))
    scores = {kind: (Score(), Score()) for _, kind, *_ in CONLL_KINDS}
    for item, (doc, found) in zip(docs, analysed(nlp, [d["text"] for d in docs], args)):
        for _, kind, label, gold_type, same in CONLL_KINDS:
            gold = [e["text"] for e in item["entities"] if e["type"] == gold_type]
            baseline, ours = scores[kind]
            score_names(ours, [e.name for e in found if e.kind == kind], gold, same)
            score_names(baseline, [e.text for e in doc.ents if e.label_ == label], gold, same)
    rows = []
    for title, kind, label, *_ in CONLL_KINDS:
        baseline, ours = scores[kind]
        rows += [baseline.row(f"{title}, CoNLL-2003 dev, raw spaCy {label}"),
                 ours.row(f"{title}, CoNLL-2003 dev, extract_entities")]
    return rows


# The labels the quick country baseline reads through the gazetteer.
BASELINE_LABELS = {"GPE", "NORP", "LOC"}


def baseline_countries(doc):
    """Quick baseline: every GPE, NORP or LOC entity the gazetteer knows, plus
    the dateline's country; none of extract_entities' other rules."""
    from articles.entities.countries import find_dateline
    from articles.entities.gazetteer import dateline_country, lookup

    codes = {place.code for ent in doc.ents
             if ent.label_ in BASELINE_LABELS and (place := lookup(ent.text))}
    match = find_dateline(doc.text)
    if match and (code := dateline_country(match.group("place"), match.group("region") or "")):
        codes.add(code)
    return codes


def countries_rows(nlp, data, args, errors):
    docs = [d for d in read_jsonl(data / "reuters21578" / "train.jsonl") if d["places"]]
    docs = docs[: args.limit] if args.limit else docs
    texts = [article_text(d["title"], f"{d['dateline'] or ''} {d['text'] or ''}") for d in docs]
    ours, baseline = Score(), Score()
    for item, text, (doc, found) in zip(docs, texts, analysed(nlp, texts, args, args.n_process)):
        gold = {slug_code(slug) for slug in item["places"]} - {None}
        predicted = {e.key for e in found if e.kind == "country"}
        hits = len(predicted & gold)
        ours.add(hits, len(predicted), hits, len(gold))
        quick = baseline_countries(doc)
        hits = len(quick & gold)
        baseline.add(hits, len(quick), hits, len(gold))
        if errors and predicted != gold:
            missing, extra = sorted(gold - predicted), sorted(predicted - gold)
            mentions = {e.key: [m[0] for m in e.mentions] for e in found if e.kind == "country"}
            errors.write(json.dumps({"id": item["id"], "missing": missing, "extra": extra,
                                     "mentions": mentions, "text": text[:400]}) + "\n")
    return [baseline.row("countries, Reuters-21578, NER + gazetteer + dateline"),
            ours.row("countries, Reuters-21578, extract_entities")]


def _exactly(label, found, gold):
    """"people exact: yes", or what differs."""
    if found == gold:
        return f"{label} exact: yes"
    return f"{label} exact: NO (missing {sorted(gold - found)}, extra {sorted(found - gold)})"


def seed_row(nlp, data):
    """Whether the seed article gives exactly its people, countries and organizations."""
    path = next((data / "seed").glob("*.txt"))
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    found = next(extract_entities([article_text(title, body)], nlp=nlp))
    people = {e.name for e in found if e.kind == "person"}
    countries = {e.key for e in found if e.kind == "country"}
    organizations = {e.key for e in found if e.kind == "organization"}
    gold_organizations = {normalise_key("organization", name) for name in SEED_ORGANIZATIONS}
    return "seed article: " + "; ".join([
        _exactly("people", people, SEED_PEOPLE),
        _exactly("countries", countries, SEED_COUNTRIES),
        _exactly("organizations", organizations, gold_organizations),
    ])


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=settings.BASE_DIR.parent / "shared" / "data")
        parser.add_argument("--limit", type=int, help="documents per data set (default: all)")
        parser.add_argument("--n-process", type=int, default=2)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--errors", type=Path,
                            help="write Reuters documents whose countries differ, as JSON Lines")
        parser.add_argument("--archive", action="store_true",
                            help="measure the stored archive against Reuters editors' tags (no extraction)")

    def handle(self, **options):
        if options["archive"]:
            started = time.monotonic()
            for line in archive_quality.report():
                self.stdout.write(line)
            self.stdout.write(f"({time.monotonic() - started:.0f} s)")
            return
        args = Options(options["limit"], options["n_process"], options["batch_size"])
        errors = open(options["errors"], "w", encoding="utf-8") if options["errors"] else None
        nlp = get_nlp()
        started = time.monotonic()
        self.stdout.write(
            f"{'measure':<{LABEL_WIDTH}} {'precision':>9} {'recall':>9} {'F1':>9} {'gold':>7}")
        for row in conll_rows(nlp, options["data"], args):
            self.stdout.write(row)
        for row in countries_rows(nlp, options["data"], args, errors):
            self.stdout.write(row)
        self.stdout.write(seed_row(nlp, options["data"]))
        self.stdout.write(f"({time.monotonic() - started:.0f} s)")
        if errors:
            errors.close()
