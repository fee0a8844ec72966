"""Stories: the versions of one story (filed, updated, corrected, re-sent) grouped as articles
are enriched. `signatures` says what makes two texts versions (shingles, MinHash, LSH bands; no
Django), `grouping` places articles in stories with the LSH index in the database, `staff` keeps
staff's splits and joins. The rest of the project uses what this door exports."""
from articles.stories.grouping import hold_lock, place_unplaced, place_versions
from articles.stories.staff import join, split_off

__all__ = ["hold_lock", "join", "place_unplaced", "place_versions", "split_off"]
