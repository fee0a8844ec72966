"""Uploaded files are stored under names any file system takes, whatever the client sent."""
from articles.ingest.uploads import stored_name


def test_a_plain_name_is_kept_with_its_number():
    assert stored_name(3, "bbc/business/001.txt") == "0003-001.txt"


def test_a_very_long_name_is_cut_and_keeps_its_extensions():
    name = stored_name(0, "a" * 300 + ".jsonl.xz")

    assert name.endswith(".jsonl.xz") and len(name.encode()) <= 160


def test_a_long_name_in_a_script_of_wide_characters_fits_in_bytes():
    name = stored_name(0, "新闻" * 200 + ".txt")

    assert name.endswith(".txt") and len(name.encode()) <= 160


def test_a_name_of_nothing_usable_is_upload():
    assert stored_name(1, "../..") == "0001-upload"
