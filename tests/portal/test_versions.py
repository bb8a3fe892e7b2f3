"""Shared data versions: kept in the database, bumped with the change, read once per request."""

import pytest
from django.db import transaction

from portal import versions
from portal.models import DataVersion

pytestmark = pytest.mark.django_db


def test_a_bump_gives_a_new_number():
    """Each bump gives a name a new, larger number; other names keep theirs."""
    before, other = versions.current("pages"), versions.current("notices")
    versions.bump("pages")
    after = versions.current("pages")
    assert after > before
    versions.bump("pages")
    assert versions.current("pages") > after
    assert versions.current("notices") == other


def test_a_rolled_back_change_keeps_the_old_number():
    """A bump belongs to its transaction: rolled back with the change, it never happened."""
    versions.bump("pages")
    before = versions.current("pages")
    with pytest.raises(RuntimeError), transaction.atomic():
        versions.bump("pages")
        assert versions.current("pages") > before  # seen inside the transaction
        raise RuntimeError("the change fails")
    assert versions.current("pages") == before


def test_a_request_reads_the_numbers_once(django_assert_num_queries):
    """Within one request (or `remembered()`), all names are read with one query."""
    versions.bump("pages")
    with versions.remembered(), django_assert_num_queries(1):
        versions.current("pages")
        versions.current("notices")
        versions.current("grids")


def test_a_bump_within_a_request_is_seen_at_once():
    """The request that changes something sees the new number for the rest of its work."""
    with versions.remembered():
        before = versions.current("pages")
        versions.bump("pages")
        assert versions.current("pages") > before


def test_another_process_change_is_seen_by_the_next_request():
    """A number raised by another process (straight in the table) is read by the next request."""
    versions.bump("grids")
    with versions.remembered():
        seen = versions.current("grids")
    DataVersion.objects.filter(name="grids").update(version=seen + 5)
    with versions.remembered():
        assert versions.current("grids") == seen + 5
    assert versions.current("grids") == seen + 5  # outside a request: always read


def test_the_first_number_comes_from_the_clock():
    """A name's first number is large (from the clock), so a re-created database does not hand
    out numbers that values cached before it were built under."""
    assert versions.current("search-words") == 0  # never bumped in this database
    versions.bump("search-words")
    assert versions.current("search-words") > 10**15


def test_a_restored_database_does_not_reuse_numbers():
    """After a restore from a backup (an older, smaller number in the table), the next bump
    still gives a number above every one handed out before."""
    versions.bump("pages")
    versions.bump("pages")
    used = versions.current("pages")
    DataVersion.objects.filter(name="pages").update(version=used - 10**9)  # the backup's number
    versions.bump("pages")
    assert versions.current("pages") > used
