"""Possible duplicates, found among entities as the archive holds them (keys folded, names
as written, article counts), with no database."""
from itertools import count

import pytest

from articles.enrichment.resolution.duplicates import Candidate, find_pairs, similar_names

ids = count(1)


def person(name, key, articles=1):
    return Candidate(next(ids), "person", key, name, articles)


def organization(name, key, articles=1):
    return Candidate(next(ids), "organization", key, name, articles)


def found(entities, **options):
    """{(first name, second name): reasons} of the pairs found, in their order."""
    return {(p.first.name, p.second.name): p.reasons for p in find_pairs(entities, **options)}


def test_similar_names_are_paired_with_their_score():
    gorbachev = person("Mikhail Gorbachev", "mikhail gorbachev", 40)
    gorbachov = person("Mikhail Gorbachov", "mikhail gorbachov", 2)

    assert found([gorbachev, gorbachov, person("Mikhail Kasyanov", "mikhail kasyanov")]) == {
        ("Mikhail Gorbachev", "Mikhail Gorbachov"): ["similar names 94"]}


def test_the_same_words_in_another_order_are_similar_names():
    assert found([person("Xi Jinping", "xi jinping", 9), person("Jinping Xi", "jinping xi")]) == {
        ("Xi Jinping", "Jinping Xi"): ["similar names 100"]}


def test_similar_names_are_looked_for_among_the_most_mentioned_only():
    known = [person("Nigel Lawson", "nigel lawson", 50), person("Geoffrey Howe", "geoffrey howe", 40)]
    rare = person("Nigel Lawsen", "nigel lawsen", 1)

    assert list(similar_names(known + [rare], most_mentioned=2)) == []
    assert [(a.name, b.name) for a, b, _ in similar_names(known + [rare], most_mentioned=3)] == [
        ("Nigel Lawson", "Nigel Lawsen")]


def test_an_acronym_is_paired_with_the_names_of_those_initials():
    imf = organization("IMF", "imf", 109)
    fund = organization("International Monetary Fund", "international monetary fund", 62)
    usda = organization("U.S.D.A.", "u s d a", 3)
    agriculture = organization("U.S. Department of Agriculture", "us department of agriculture", 8)

    assert found([imf, fund, usda, agriculture]) == {
        ("IMF", "International Monetary Fund"): ["acronym IMF"],
        ("U.S. Department of Agriculture", "U.S.D.A."): ["acronym U.S.D.A."],
    }


def test_a_name_that_could_stand_for_too_many_others_is_left_out():
    cc = organization("CC", "cc", 20)
    readings = [organization(name, name.lower()) for name in
                ["Credit Commission", "Coal Corporation", "Cable Company", "Cotton Council"]]
    baker = person("Baker", "baker", 30)
    bakers = [person(f"{first} Baker", f"{first.lower()} baker") for first in ["James", "Howard", "Ella", "Tom"]]

    assert found([cc, *readings, baker, *bakers]) == {}
    assert found([cc, *readings[:3]]) == {("CC", name): ["acronym CC"] for name in
                                          ["Credit Commission", "Coal Corporation", "Cable Company"]}


def test_a_short_form_is_paired_with_its_long_form_unless_it_is_an_ordinary_word():
    cathay = organization("Cathay", "cathay", 4)
    airways = organization("Cathay Pacific Airways", "cathay pacific airways", 10)
    bank = organization("Bank", "bank", 30)
    england = organization("Bank of England", "bank of england", 40)

    assert found([cathay, airways, bank, england]) == {
        ("Cathay Pacific Airways", "Cathay"): ["short form Cathay"]}


def test_a_bare_surname_is_paired_with_the_full_names_ending_in_it():
    reagan = person("Reagan", "reagan", 300)
    ronald, nancy = person("Ronald Reagan", "ronald reagan", 90), person("Nancy Reagan", "nancy reagan", 5)

    assert found([reagan, ronald, nancy]) == {
        ("Reagan", "Ronald Reagan"): ["bare surname Reagan"],
        ("Reagan", "Nancy Reagan"): ["bare surname Reagan"],
    }


def test_an_alias_two_entities_of_one_kind_share_pairs_them():
    dutch = organization("Royal Dutch Shell", "royal dutch shell", 12)
    oil = organization("Shell Oil", "shell oil", 7)
    merrill = person("Merrill Lynch", "merrill lynch", 2)

    shared = [("Shell", dutch.pk, oil.pk), ("Merrill", merrill.pk, oil.pk), ("Gone", dutch.pk, 99999)]

    assert found([dutch, oil, merrill], shared=shared) == {("Royal Dutch Shell", "Shell Oil"): ["shared alias 'Shell'"]}


def test_a_judged_pair_is_never_proposed():
    ronald, reagan = person("Ronald Reagan", "ronald reagan", 90), person("Reagan", "reagan", 30)

    assert found([ronald, reagan], judged={(ronald.pk, reagan.pk)}) == {}


def test_pairs_with_more_evidence_come_first_then_those_a_merge_fixes_more_articles_of():
    moody = organization("Moody", "moody", 150)
    investors = organization("Moody's Investors Service", "moody s investors service", 120)
    frost, david = person("Frost", "frost", 15), person("David Frost", "david frost", 7)
    keane, roy = person("Keane", "keane", 11), person("Roy Keane", "roy keane", 3)

    pairs = find_pairs([keane, roy, moody, investors, frost, david], shared=[("Frost", frost.pk, david.pk)])

    assert [(p.first.name, p.second.name) for p in pairs] == [
        ("Frost", "David Frost"), ("Moody", "Moody's Investors Service"), ("Keane", "Roy Keane")]
    assert pairs[0].reasons == ["bare surname Frost", "shared alias 'Frost'"]


@pytest.mark.parametrize("entity, ref", [
    (Candidate(12, "person", "ronald reagan", "Ronald Reagan", 1), "p12"),
    (Candidate(7, "organization", "opec", "OPEC", 1), "o7"),
])
def test_a_candidate_is_addressed_by_its_entity_id(entity, ref):
    assert entity.ref == ref
