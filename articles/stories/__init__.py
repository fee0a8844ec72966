"""Stories: the versions of one story (filed, updated, corrected, re-sent) grouped as articles
are enriched. `signatures` says what makes two texts versions (shingles, MinHash, LSH bands; no
Django), `grouping` places articles in stories with the LSH index in the database, `staff` keeps
staff's splits and joins, `versions` says what a reader sees of an article's story (its other
versions, how it differs from the canonical one: `difference`, no Django; a followed thread).
The rest of the project uses what this door exports."""
from articles.stories.difference import DELETED, EQUAL, INSERTED, MAX_WORDS, Difference, word_difference
from articles.stories.grouping import hold_lock, place_unplaced, place_versions
from articles.stories.staff import join, split_off
from articles.stories.versions import Thread, difference_from_canonical, is_key, story_key, thread_of, versions_of

__all__ = ["DELETED", "Difference", "EQUAL", "INSERTED", "MAX_WORDS", "Thread", "difference_from_canonical", "hold_lock", "is_key", "join",
           "place_unplaced", "place_versions", "split_off", "story_key", "thread_of", "versions_of", "word_difference"]
