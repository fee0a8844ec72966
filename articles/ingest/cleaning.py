"""Make decoded article text trustworthy: repaired, evenly spaced, without syndication boilerplate.

Cleaning never loses the article: when stripping would leave nothing, the repaired text is kept.
It is idempotent, so cleaning cleaned text changes nothing and `content_hash` can take either.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import ftfy


@dataclass
class Cleaned:
    """An article's text as it is stored, searched and hashed."""

    title: str
    body: str  # paragraphs separated by "\n\n", each on one line
    source: str  # brand named by a credit, signature or footer; "" if none


# Lines up to this long, mostly ending mid-sentence, are hard-wrapped (Reuters wraps at ~70).
_WRAP_WIDTH = 130
# Footers are short; a longer trailing paragraph is article text whatever its words.
_MAX_FOOTER_CHARS = 300

# A lone "Â" before a space or line end: the first byte of a UTF-8 non-breaking space read as
# Windows-1252 whose second byte got lost, which ftfy cannot repair. Capitals before it are spared
# ("ROMÂNIA").
_A_RESIDUE = re.compile(r"(?<![A-ZÀ-Þ])Â(?=\s|$)", re.MULTILINE)
_ZERO_WIDTH = re.compile("[\u200b\u2060]")
# Reuters' sign-off at the very end: "Reuter" in any case when set apart (own line, indent, wide
# spaces), "REUTER" in capitals anywhere; wire residue such as "...", "^M" or a desk code may follow.
_SIGNATURE_SPAN = 200
_SIGNATURE = re.compile(
    r"(?:\n\s*\n|\n[ \t]+|[ \t]{2,})\s*(?i:reuters?)(?:[^\w\n]|\^M)*\Z"
    r"|\s+REUTERS?[^\n]{0,10}\Z"
)
# A leading credit such as "(Bloomberg) — ": one to four capitalised words in brackets, then a dash.
_CREDIT = re.compile(r"\((?P<source>[A-Z][\w&.'’]*(?:\s+[A-Z&][\w&.'’]*){0,3})\)\s*[—–-]{1,2}\s*")
_PROMOTION = re.compile(
    r"\(?(?:read )?more (?:stories|articles|news)\b.*?"
    r"(?:\b(?:on|at)\s+(?P<site>(?:www\.)?[\w-]+\.[a-z.]{2,6}))?\W*",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\b).*|.*\ball rights reserved\W*", re.IGNORECASE)
_COPYRIGHT_WORDS = re.compile(
    r"©|\(c\)|\bcopyright\b|\ball rights reserved\b|\b(?:19|20)\d\d\b|[-–,]", re.IGNORECASE
)
_OTHER_FOOTER = re.compile(
    r"\(?(?:(?:follow|like) us on|sign up|subscribe|to contact the (?:reporters?|editors?)"
    r"|(?:additional )?(?:reporting|writing|editing) by)\b.*",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^www\.|\.(?:com|co\.uk|net|org)$", re.IGNORECASE)
_CORPORATE = re.compile(
    r"(?:,?\s+(?:L\.?P|Inc|Ltd|LLC|PLC|Corp|Co|Limited|Corporation)\.?)+$", re.IGNORECASE
)


def clean_line(text: str) -> str:
    """A one-line field (title, source, author) repaired and on one line, single-spaced."""
    return " ".join(_repair(text).split())


def clean_article(title: str, body: str) -> Cleaned:
    """Repair, re-space and strip boilerplate, recording the source the boilerplate names."""
    title = clean_line(title)
    repaired = _repair(body)
    text, signature = _strip_signature(repaired)
    paragraphs = _drop_repeated_lead(title, _paragraphs(text))
    paragraphs, credit = _strip_credit(paragraphs)
    paragraphs, footer_sources = _strip_footers(paragraphs)
    source = next(filter(None, [credit, *footer_sources, signature]), "")
    return Cleaned(title, "\n\n".join(paragraphs or _paragraphs(repaired)), source)


def content_hash(title: str, body: str) -> str:
    """sha256 of the cleaned text, blind to case and spacing, so the same article uploaded twice matches."""
    cleaned = clean_article(title, body)
    folded = "\n".join(" ".join(part.casefold().split()) for part in (cleaned.title, cleaned.body))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _repair(text: str) -> str:
    """Fix mojibake with ftfy, then the residue it leaves behind."""
    return _ZERO_WIDTH.sub("", _A_RESIDUE.sub("", ftfy.fix_text(text)))


def _strip_signature(text: str) -> tuple[str, str]:
    """Remove wire sign-offs, sometimes doubled ("REUTER" then " Reuter"), from the end.

    Only the last few characters are searched: the pattern's runs of spaces would make a search of
    the whole text slow on hostile input.
    """
    stripped, found = text.rstrip(), False
    while match := _SIGNATURE.search(stripped, max(0, len(stripped) - _SIGNATURE_SPAN)):
        stripped, found = stripped[: match.start()].rstrip(), True
    return stripped, "Reuters" if found else ""


def _paragraphs(text: str) -> list[str]:
    """Paragraphs from blank-line separated blocks, each collapsed to one line.

    In a hard-wrapped block the lines are rejoined and an indented line starts a new paragraph;
    otherwise every line is a paragraph of its own (the seed and many exports write them so).
    """
    paragraphs = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        paragraphs += _unwrap(lines) if _is_hard_wrapped(lines) else lines
    return [" ".join(paragraph.split()) for paragraph in paragraphs]


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Short lines that are indented in places, or mostly stop mid-sentence, were wrapped at a fixed width."""
    inner = lines[:-1]
    if not inner or max(map(len, inner)) > _WRAP_WIDTH:
        return False
    indented = any(line[:1].isspace() for line in lines[1:])
    open_ended = sum(not _ends_with_full_stop(line) for line in inner)
    # Two lines are too few to tell a wrapped sentence from a headline and its paragraph.
    return indented or (len(inner) > 1 and open_ended * 2 > len(inner))


def _unwrap(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and not line[:1].isspace():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return paragraphs


def _ends_with_full_stop(text: str) -> bool:
    return text.rstrip("\"'”’) ").endswith(".")


def _drop_repeated_lead(title: str, paragraphs: list[str]) -> list[str]:
    """Drop a lead paragraph that repeats the next one or the title: a reader sees it once.

    Of two equal leads the later is kept (it usually carries the credit, stripped next). The last
    paragraph always stays, so the body is never emptied.
    """
    start = 0
    while start + 1 < len(paragraphs) and (
        _same(paragraphs[start], paragraphs[start + 1]) or _same(paragraphs[start], title)
    ):
        start += 1
    return paragraphs[start:]


def _same(first: str, second: str) -> bool:
    return _comparable(first) == _comparable(second)


def _comparable(text: str) -> str:
    """Letters and digits only, without a leading credit, so "(Bloomberg) — X." equals "X"."""
    credit = _CREDIT.match(text)
    return re.sub(r"\W+", "", text[credit.end() :] if credit else text).casefold()


def _strip_credit(paragraphs: list[str]) -> tuple[list[str], str]:
    credit = _CREDIT.match(paragraphs[0]) if paragraphs else None
    if not credit:
        return paragraphs, ""
    rest = paragraphs[0][credit.end() :]
    return ([rest] if rest else []) + paragraphs[1:], _brand(credit["source"])


def _strip_footers(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Drop trailing boilerplate paragraphs; return the rest and the sources they name, top first."""
    end, sources = len(paragraphs), []
    while end and (source := _footer_source(paragraphs[end - 1])) is not None:
        end -= 1
        sources.append(source)
    return paragraphs[:end], sources[::-1]


def _footer_source(paragraph: str) -> str | None:
    """None if paragraph is article text; otherwise the source the footer names, or ""."""
    if len(paragraph) > _MAX_FOOTER_CHARS:
        return None
    if promotion := _PROMOTION.fullmatch(paragraph):
        return _brand(promotion["site"] or "")
    if _COPYRIGHT.fullmatch(paragraph):
        return _brand(_COPYRIGHT_WORDS.sub(" ", paragraph))
    if _OTHER_FOOTER.fullmatch(paragraph):
        return ""
    return None


def _brand(name: str) -> str:
    """The brand in a credit, domain or copyright holder: "Bloomberg L.P." and "bloomberg.com" are "Bloomberg"."""
    name = _DOMAIN.sub("", " ".join(name.split()).strip(" .,;:&"))
    name = _CORPORATE.sub("", name).strip(" .,;:&")
    return name[:1].upper() + name[1:] if name.islower() else name


def web_url(value):
    """The URL if it is an http(s) link to a host, else "": an imported `javascript:` or
    `data:` URL must never become a link on our pages."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return ""
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return value
    return ""
