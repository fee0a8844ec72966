"""The archive-level resolver joins the names the archive's evidence shows are one entity,
incrementally, and never against staff's decisions."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.enrichment import curation, save_entities
from articles.enrichment.resolution import resolve_new_mentions, unread_mentions
from articles.enrichment.resolution.resolver import Archive
from articles.entities import FoundEntity
from articles.models import Article, Entity, Judgement, Mention, NameEvidence, ResolutionProgress

from .archive import USA, build_archive
from .conftest import wait_until

pytestmark = pytest.mark.django_db

REAGAN = ("person", "ronald reagan", "Ronald Reagan")
REAGAN_ALONE = ("person", "reagan", "Reagan")
CONGRESS = ("organization", "congress", "Congress")
BAKER_JAMES = ("person", "james baker", "James Baker")
BAKER_HOWARD = ("person", "howard baker", "Howard Baker")
BAKER_ALONE = ("person", "baker", "Baker")
IMF = ("organization", "imf", "IMF")
IMF_LONG = ("organization", "international monetary fund", "International Monetary Fund")
MERRILL_PERSON = ("person", "merrill lynch", "Merrill Lynch")
MERRILL_FIRM = ("organization", "merrill lynch", "Merrill Lynch")


def articles_naming(spec, surface, count, *beside, month=1):
    """`count` articles that each mention `spec` as `surface`, beside the `beside` entities."""
    return {
        f"{spec[1]}-{month}-{n}": (
            f"{surface} story {n}", f"{surface} spoke in month {month}. " + " ".join(name for _, _, name in beside),
            "Reuters", date(1987, month, n + 1),
            [(spec, surface)] + [(other, other[2]) for other in beside],
        )
        for n in range(count)
    }


def entity(spec):
    return Entity.objects.get(kind=spec[0], key=spec[1])


def test_a_surname_joins_the_full_name_the_archive_means_by_it():
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 4, CONGRESS, USA, month=2)})

    assert resolve_new_mentions() == 1

    assert entity(REAGAN_ALONE).merged_into == entity(REAGAN)
    assert Mention.objects.filter(entity=entity(REAGAN)).count() == 7
    (judgement,) = Judgement.objects.all()
    assert (judgement.verdict, judgement.judge) == ("same", "resolver")
    assert {a.title for a in Article.stale_in_index()} == {f"Reagan story {n}" for n in range(4)}


def test_a_surname_two_people_share_stays_apart():
    build_archive({**articles_naming(BAKER_JAMES, "James Baker", 3, USA),
                   **articles_naming(BAKER_HOWARD, "Howard Baker", 2, USA, month=2),
                   **articles_naming(BAKER_ALONE, "Baker", 3, USA, month=3)})

    assert resolve_new_mentions() == 0
    assert entity(BAKER_ALONE).merged_into is None


def test_a_surname_seen_beside_other_entities_than_the_full_name_stays_apart():
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS),
                   **articles_naming(REAGAN_ALONE, "Reagan", 3, IMF, month=2)})

    assert resolve_new_mentions() == 0


def test_an_acronym_joins_its_long_form():
    build_archive({**articles_naming(IMF_LONG, "International Monetary Fund", 3, USA),
                   **articles_naming(IMF, "IMF", 2, USA, month=2)})

    resolve_new_mentions()

    assert entity(IMF).merged_into == entity(IMF_LONG)


def test_a_name_the_archive_mostly_sees_as_a_firm_is_not_a_person():
    build_archive({**articles_naming(MERRILL_FIRM, "Merrill Lynch", 4, USA),
                   **articles_naming(MERRILL_PERSON, "Merrill Lynch", 1, USA, month=2)})

    resolve_new_mentions()

    assert entity(MERRILL_PERSON).merged_into == entity(MERRILL_FIRM)
    assert not Mention.objects.filter(entity__kind="person").exists()


def test_a_name_the_archive_mostly_sees_as_a_person_written_by_surname_is_not_an_organization():
    volcker = ("person", "paul volcker", "Paul Volcker")
    volcker_firm = ("organization", "paul volcker", "Paul Volcker")
    build_archive({**articles_writing(volcker, ["Paul Volcker", "Volcker"], 4, USA),
                   **articles_naming(volcker_firm, "Paul Volcker", 1, USA, month=2)})

    resolve_new_mentions()

    assert entity(volcker_firm).merged_into == entity(volcker)


def test_a_firm_named_like_a_person_that_no_article_writes_by_surname_stays_an_organization():
    alfa_romeo = ("person", "alfa romeo", "Alfa Romeo")
    alfa_romeo_firm = ("organization", "alfa romeo", "Alfa Romeo")
    build_archive({**articles_naming(alfa_romeo, "Alfa Romeo", 4, USA),
                   **articles_naming(alfa_romeo_firm, "Alfa Romeo", 1, USA, month=2)})

    resolve_new_mentions()

    assert entity(alfa_romeo_firm).merged_into is None


def test_later_articles_go_straight_to_the_survivor_and_only_new_mentions_are_read():
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 3, CONGRESS, USA, month=2)})
    resolve_new_mentions()
    assert not unread_mentions()
    later = Article.objects.create(title="Reagan again", body="Reagan spoke.", content_hash="later")

    save_entities([(later, [FoundEntity("person", "reagan", "Reagan", [("Reagan", 14, 20)])])])

    assert Mention.objects.get(article=later).entity == entity(REAGAN)
    assert unread_mentions() and resolve_new_mentions() == 0 and not unread_mentions()


def test_staff_decisions_win_over_the_resolver():
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 3, CONGRESS, USA, month=2),
                   **articles_naming(IMF_LONG, "International Monetary Fund", 3, USA, month=3),
                   **articles_naming(IMF, "IMF", 2, USA, month=4)})
    Judgement.record(entity(REAGAN_ALONE), entity(REAGAN), Judgement.Verdict.NOT_SAME, Judgement.Judge.STAFF)
    curation.rename(entity(IMF), "I.M.F.", None)  # staff curated the acronym

    assert resolve_new_mentions() == 0
    assert entity(REAGAN_ALONE).merged_into is None and entity(IMF).merged_into is None


def test_a_split_alias_is_never_joined_back():
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN, "Reagan", 3, CONGRESS, USA, month=2)})
    split_off = curation.split(entity(REAGAN), "Reagan", "Reagan", None)

    resolve_new_mentions()

    assert Entity.objects.get(pk=split_off.pk).merged_into is None


def test_an_entity_a_rule_fails_on_leaves_the_run_to_join_the_others(monkeypatch, caplog):
    def unforeseen(self, entity):
        raise IndexError("string index out of range")
        yield

    monkeypatch.setattr(Archive, "_reordered_question", unforeseen)  # asked of organizations only
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 4, CONGRESS, USA, month=2),
                   **articles_naming(IMF_LONG, "International Monetary Fund", 3, USA, month=3),
                   **articles_naming(IMF, "IMF", 2, USA, month=4)})

    assert resolve_new_mentions() == 1

    assert entity(REAGAN_ALONE).merged_into == entity(REAGAN)
    assert entity(IMF).merged_into is None
    assert "Resolving IMF" in caplog.text and not unread_mentions()


def test_one_run_at_a_time():
    build_archive(articles_naming(REAGAN, "Ronald Reagan", 1))
    ResolutionProgress.objects.update_or_create(pk=1, defaults={"held_until": timezone.now() + timedelta(minutes=5)})

    assert resolve_new_mentions() is None


COFFEE = ("organization", "international coffee organization", "International Coffee Organization")
COCOA = ("organization", "international cocoa organization", "International Cocoa Organization")
ICO = ("organization", "ico", "ICO")
BRAZIL = ("country", "BR", "Brazil")
GHANA = ("country", "GH", "Ghana")
COLOMBIA = ("country", "CO", "Colombia")


def test_an_acronym_two_long_forms_share_joins_the_one_seen_beside_the_same_entities():
    build_archive({**articles_naming(COFFEE, "International Coffee Organization", 3, BRAZIL, COLOMBIA),
                   **articles_naming(COCOA, "International Cocoa Organization", 3, GHANA, month=2),
                   **articles_naming(ICO, "ICO", 4, BRAZIL, COLOMBIA, month=3)})

    resolve_new_mentions()

    assert entity(ICO).merged_into == entity(COFFEE)
    assert entity(COCOA).merged_into is None


def test_an_acronym_joins_the_long_form_whose_articles_call_it_so():
    icco = ("organization", "icco", "ICCO")
    build_archive({**articles_naming(COCOA, "International Cocoa Organization", 3, GHANA),
                   **articles_naming(COCOA, "ICCO", 1, GHANA, month=2),  # "... Organization (ICCO)"
                   **articles_naming(icco, "ICCO", 3, GHANA, month=3)})

    resolve_new_mentions()

    assert entity(icco).merged_into == entity(COCOA)


def test_headline_words_run_into_a_name_join_the_person_it_names():
    fragment = ("person", "reagan hopes to lift japan", "Reagan Hopes To Lift Japan")
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 3, CONGRESS, USA, month=2),
                   **articles_naming(fragment, "Reagan Hopes To Lift Japan", 1, CONGRESS, month=3)})

    resolve_new_mentions()

    assert entity(fragment).merged_into == entity(REAGAN)


def test_a_firm_named_for_a_surname_stays_apart_from_that_person_and_a_headline_about_them_joins():
    ross = ("person", "wilbur ross", "Wilbur Ross")
    ross_alone = ("person", "ross", "Ross")
    ross_stores = ("person", "ross stores", "Ross Stores")  # the model read the retailer as a person
    ross_says = ("person", "ross says", "Ross Says")  # from a headline
    build_archive({**articles_naming(ross, "Wilbur Ross", 3, CONGRESS, USA),
                   **articles_naming(ross_alone, "Ross", 3, CONGRESS, USA, month=2),
                   **articles_naming(ross_stores, "Ross Stores", 1, CONGRESS, USA, month=3),
                   "headline": ("Ross Says Steel Deal Near", "Ross spoke to Congress.", "Reuters", date(1987, 4, 1),
                                [(ross_says, "Ross Says"), (ross_says, "Ross"), (CONGRESS, "Congress")])})

    resolve_new_mentions()

    assert entity(ross_alone).merged_into == entity(ross)
    assert entity(ross_stores).merged_into is None
    assert entity(ross_says).merged_into == entity(ross)


def test_a_name_with_a_middle_initial_joins_the_same_name_without_it():
    boesky = ("person", "ivan boesky", "Ivan Boesky")
    initial = ("person", "ivan f boesky", "Ivan F. Boesky")
    sec = ("organization", "securities and exchange commission", "Securities and Exchange Commission")
    build_archive({**articles_naming(boesky, "Ivan Boesky", 4, sec, USA),
                   **articles_naming(initial, "Ivan F. Boesky", 1, sec, USA, month=2)})

    resolve_new_mentions()

    assert entity(initial).merged_into == entity(boesky)


@pytest.mark.django_db(transaction=True)
def test_the_resolver_runs_in_the_worker(worker, search_index):
    from articles.tasks import resolve_entities

    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 3, CONGRESS, USA, month=2)})

    resolve_entities.delay()

    wait_until(lambda: Entity.objects.filter(key="reagan", merged_into__isnull=False).exists(),
               message="the worker to join Reagan into Ronald Reagan")


def articles_writing(spec, surfaces, count, *beside, month=5):
    """`count` articles that each write `spec` in all of `surfaces` ("International Coffee
    Organization (ICO)"), beside the `beside` entities."""
    return {
        f"{spec[1]}-written-{month}-{n}": (
            f"{surfaces[0]} item {n}", " ".join(surfaces) + f" met in month {month}. "
            + " ".join(name for _, _, name in beside),
            "Reuters", date(1987, month, n + 1), [(spec, surface) for surface in surfaces]
            + [(other, other[2]) for other in beside],
        )
        for n in range(count)
    }


def test_an_acronym_its_own_articles_write_out_joins_that_long_form_not_another_with_its_letters():
    build_archive({**articles_writing(ICO, ["International Coffee Organization", "ICO"], 2, BRAZIL),
                   **articles_naming(ICO, "ICO", 3, GHANA, BRAZIL, month=2),
                   **articles_naming(COFFEE, "International Coffee Organization", 2, BRAZIL, month=3),
                   **articles_naming(COCOA, "International Cocoa Organization", 6, GHANA, BRAZIL, month=4)})

    resolve_new_mentions()

    assert entity(ICO).merged_into == entity(COFFEE)
    assert entity(COCOA).merged_into is None


def test_an_acronym_with_more_letters_of_a_word_joins_the_long_form_it_spells_where_articles_write_both():
    icco = ("organization", "icco", "ICCO")
    build_archive({**articles_naming(COCOA, "International Cocoa Organization", 3, GHANA),
                   **articles_writing(icco, ["ICCO"], 2, COCOA, GHANA),  # beside the long form
                   **articles_naming(COFFEE, "International Coffee Organization", 3, GHANA, month=2),
                   **articles_naming(icco, "ICCO", 3, GHANA, month=3)})

    resolve_new_mentions()

    assert entity(icco).merged_into == entity(COCOA)
    assert entity(COFFEE).merged_into is None


def test_an_acronym_stays_apart_from_a_long_form_that_holds_its_letters_inside_a_word_but_is_never_called_so():
    bbc = ("organization", "bbc", "BBC")
    birkbeck = ("organization", "birkbeck college", "Birkbeck College")
    uk = ("country", "GB", "United Kingdom")
    build_archive({**articles_naming(bbc, "BBC", 5, uk),
                   **articles_naming(birkbeck, "Birkbeck College", 3, uk, month=2)})

    resolve_new_mentions()

    assert entity(bbc).merged_into is None


def test_an_acronym_of_two_letters_joins_only_a_long_form_articles_call_by_it():
    nj = ("organization", "nj", "NJ")
    naked_juice = ("organization", "naked juice", "Naked Juice")
    build_archive({**articles_naming(nj, "NJ", 4, USA),
                   **articles_naming(naked_juice, "Naked Juice", 3, USA, month=2)})

    resolve_new_mentions()

    assert entity(nj).merged_into is None


def test_a_name_other_articles_write_as_a_mention_of_an_organization_joins_it():
    ec = ("organization", "ec", "EC")
    commission = ("organization", "ec commission", "EC Commission")
    belgium = ("country", "BE", "Belgium")
    build_archive({**articles_writing(ec, ["EC Commission", "EC"], 3, belgium),
                   **articles_naming(commission, "EC Commission", 2, belgium, month=2)})

    resolve_new_mentions()

    assert entity(commission).merged_into == entity(ec)


def test_another_body_of_the_same_acronym_written_as_its_mention_stays_apart():
    community = ("organization", "european community", "European Community")
    commission = ("organization", "european commission", "European Commission")
    belgium = ("country", "BE", "Belgium")
    # Articles where the extraction tied "European Commission" to the Community's "EC".
    build_archive({**articles_writing(community, ["European Community", "European Commission", "EC"], 4, belgium),
                   **articles_naming(commission, "European Commission", 3, belgium, month=2)})

    resolve_new_mentions()

    assert entity(commission).merged_into is None


def test_a_surname_the_model_read_as_an_organization_is_the_person_the_archive_means():
    icahn = ("person", "carl icahn", "Carl Icahn")
    icahn_firm = ("organization", "icahn", "Icahn")
    twa = ("organization", "trans world airlines", "Trans World Airlines")
    build_archive({**articles_naming(icahn, "Carl Icahn", 3, twa, USA),
                   **articles_naming(icahn_firm, "Icahn", 1, twa, USA, month=2)})

    resolve_new_mentions()

    assert entity(icahn_firm).merged_into == entity(icahn)
    assert Mention.objects.filter(entity=entity(icahn), surface="Icahn").count() == 1


def test_a_misspelt_word_run_into_a_far_more_frequent_name_joins_it():
    misspelt = ("person", "athough reagan", "Athough Reagan")
    build_archive({**articles_naming(REAGAN, "Ronald Reagan", 3, CONGRESS, USA),
                   **articles_naming(REAGAN_ALONE, "Reagan", 3, CONGRESS, USA, month=2),  # joins him
                   **articles_naming(misspelt, "Athough Reagan", 1, CONGRESS, USA, month=3)})

    resolve_new_mentions()

    assert entity(misspelt).merged_into == entity(REAGAN)


def test_two_organizations_named_as_one_become_a_mention_of_each():
    world_bank = ("organization", "world bank", "World Bank")
    both = ("organization", "world bank and imf", "World Bank and IMF")
    build_archive({**articles_writing(world_bank, ["World Bank"], 3, IMF_LONG, USA),
                   **articles_naming(IMF_LONG, "International Monetary Fund", 1, USA, month=2),
                   **articles_naming(IMF, "IMF", 2, USA, month=3),  # joins the long form
                   **articles_naming(both, "World Bank and IMF", 1, USA, month=4)})

    resolve_new_mentions()

    article = Article.objects.get(title="World Bank and IMF story 0")
    written = {(m.entity.key, m.surface, article.body[m.offsets[0][0]:m.offsets[0][1]])
               for m in Mention.objects.filter(article=article).select_related("entity")}
    assert written == {("world bank", "World Bank", "World Bank"),
                       ("international monetary fund", "IMF", "IMF"), ("US", "United States", "United States")}
    assert not Mention.objects.filter(entity=entity(both)).exists()
    assert article in Article.stale_in_index()


def test_an_acronym_two_bodies_share_leaves_each_article_with_the_body_it_writes_out():
    adb = ("organization", "adb", "ADB")
    asian = ("organization", "asian development bank", "Asian Development Bank")
    african = ("organization", "african development bank", "African Development Bank")
    manila, abidjan = ("country", "PH", "Philippines"), ("country", "CI", "Ivory Coast")
    build_archive({**articles_writing(adb, ["Asian Development Bank", "ADB"], 6, manila),
                   **articles_writing(adb, ["African Development Bank", "ADB"], 2, abidjan, month=6),
                   **articles_naming(asian, "Asian Development Bank", 2, manila),
                   **articles_naming(african, "African Development Bank", 2, abidjan, month=2)})

    resolve_new_mentions()

    assert entity(adb).merged_into == entity(asian)
    african_article = Article.objects.get(title="African Development Bank item 0")
    assert set(Mention.objects.filter(article=african_article, entity=entity(african))
               .values_list("surface", flat=True)) == {"African Development Bank", "ADB"}
    assert entity(african).merged_into is None


def test_articles_that_write_an_acronym_out_while_a_run_reads_it_go_to_the_body_they_name():
    adb = ("organization", "adb", "ADB")
    asian = ("organization", "asian development bank", "Asian Development Bank")
    african = ("organization", "african development bank", "African Development Bank")
    manila, abidjan = ("country", "PH", "Philippines"), ("country", "CI", "Ivory Coast")
    build_archive({**articles_writing(adb, ["Asian Development Bank", "ADB"], 6, manila),
                   **articles_naming(asian, "Asian Development Bank", 2, manila),
                   **articles_naming(african, "African Development Bank", 2, abidjan, month=2)})
    archive = Archive.load()
    assert archive.expansion_of(entity(adb)) == "Asian Development Bank"  # read before the next articles
    build_archive(articles_writing(adb, ["African Development Bank", "ADB"], 2, abidjan, month=6))

    list(archive.questions(archive.entities[entity(adb).pk]))

    african_article = Article.objects.get(title="African Development Bank item 1")
    assert Mention.objects.get(article=african_article, surface="ADB").entity == entity(african)


WORLD_BANK = ("organization", "world bank", "World Bank")
THIRD_WORLD = ("organization", "third world", "Third World")
MISSED = "HELSINKI, March 3 - The World Bank is launching a 300 mln markka bond."


def untagged_articles(text, count, month):
    """`count` articles whose text writes `text` where the extraction found nothing."""
    return {f"{month}-{n}": (f"Wire {month}-{n}", text, "Reuters", date(1987, month, n + 1), []) for n in range(count)}


def test_an_organization_the_archive_knows_is_found_where_the_extraction_missed_it():
    build_archive({**articles_naming(WORLD_BANK, "World Bank", 5, USA), **untagged_articles(MISSED, 1, month=3)})

    resolve_new_mentions()

    missed = Article.objects.get(title="Wire 3-0")
    assert [(m.entity, m.surface, m.offsets) for m in missed.mentions.all()] == [
        (entity(WORLD_BANK), "World Bank", [[24, 34]])]
    assert missed in Article.stale_in_index()
    assert not unread_mentions()


def test_a_name_the_model_tags_now_and_then_is_not_taken_for_the_organization():
    build_archive({**articles_naming(THIRD_WORLD, "Third World", 5, USA),
                   **untagged_articles("Debt weighs on the Third World, the bank said.", 6, month=3)})

    resolve_new_mentions()

    assert Mention.objects.filter(entity=entity(THIRD_WORLD)).count() == 5
    assert NameEvidence.objects.get(surface="Third World").tagged_share == 5 / 11


GORDON_BROWN = ("person", "gordon brown", "Gordon Brown")
WES_BROWN = ("person", "wes brown", "Wes Brown")
BROWN_ALONE = ("person", "brown", "Brown")
BLAIR = ("person", "tony blair", "Tony Blair")
LABOUR = ("organization", "labour", "Labour")
UNITED = ("organization", "manchester united", "Manchester United")
FERGUSON = ("person", "alex ferguson", "Alex Ferguson")
AFG = ("organization", "afg industries", "AFG Industries")


def test_a_surname_several_people_share_goes_article_by_article_to_the_one_whose_company_it_keeps():
    build_archive({**articles_naming(GORDON_BROWN, "Gordon Brown", 3, BLAIR, LABOUR),
                   **articles_naming(WES_BROWN, "Wes Brown", 2, UNITED, FERGUSON, month=2),
                   **articles_naming(BROWN_ALONE, "Brown", 2, BLAIR, LABOUR, month=3),
                   **articles_naming(BROWN_ALONE, "Brown", 1, UNITED, FERGUSON, month=4),
                   **articles_naming(BROWN_ALONE, "Brown", 3, AFG, month=5)})

    resolve_new_mentions()

    def months(spec):
        return sorted(m.article.published_at.month for m in Mention.objects.filter(entity=entity(spec), surface="Brown"))
    assert months(GORDON_BROWN) == [3, 3]
    assert months(WES_BROWN) == [4]
    assert months(BROWN_ALONE) == [5, 5, 5]  # a firm's company: nobody's
    assert entity(BROWN_ALONE).merged_into is None


EUROPEAN_COMMUNITY = ("organization", "european community", "European Community")
EURO = ("organization", "euro", "Euro")


def test_a_surname_most_of_whose_articles_keep_other_company_is_not_joined_whole():
    # Only one full name has the surname, and the two are alike beside Tony Blair and Labour
    # overall, but four of the five articles of "Brown" alone are a firm's.
    build_archive({**articles_naming(GORDON_BROWN, "Gordon Brown", 6, BLAIR, LABOUR),
                   **articles_naming(BROWN_ALONE, "Brown", 1, BLAIR, LABOUR, month=2),
                   **articles_naming(BROWN_ALONE, "Brown", 4, AFG, month=3)})

    resolve_new_mentions()

    assert entity(BROWN_ALONE).merged_into is None
    assert Mention.objects.filter(entity=entity(BROWN_ALONE)).count() == 4
    assert Mention.objects.filter(entity=entity(GORDON_BROWN), surface="Brown").count() == 1


def test_a_currency_the_model_read_as_an_organization_is_no_short_form_of_one():
    build_archive({**articles_naming(EUROPEAN_COMMUNITY, "European Community", 6, USA, CONGRESS),
                   **articles_naming(EURO, "Euro", 2, USA, CONGRESS, month=2)})

    resolve_new_mentions()

    assert entity(EURO).merged_into is None
