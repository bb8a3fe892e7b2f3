"""Cached lists of notices for the parts shown on many pages: the urgent banner (every page),
the home page's latest notices and a grid page's notices.

Each list is kept as small summaries under a key with the notices' version number
(portal.versions; bumped on any publish, unpublish or delete of a notice, or a category change,
from notices.signals) and today's date (expiry is by date), so every process sees a change at
once and a page costs no query for them.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from portal import versions

TIMEOUT = 60 * 60


@dataclass(frozen=True)
class NoticeSummary:
    """What a notice list item shows (same attribute names as NoticePage)."""

    title: str
    url: str
    category_name: str
    urgency: str
    urgency_label: str
    publication_date: dt.date
    valid_until: dt.date | None

    @property
    def is_expired(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def is_urgent(self):
        return self.urgency == "urgent"

    @classmethod
    def of(cls, notice):
        return cls(
            title=notice.title,
            url=notice.url or "",
            category_name=notice.category_name,
            urgency=notice.urgency,
            urgency_label=str(notice.urgency_label),
            publication_date=notice.publication_date,
            valid_until=notice.valid_until,
        )


def bump_version(**kwargs):
    """Invalidate every cached notice list (signal receiver)."""
    versions.bump(versions.NOTICES)


def cached_list(name, build):
    """The summaries `build()` returns, cached under `name` for this version and day."""
    return versions.cached(
        "notices:list",
        timezone.localdate().isoformat(),
        name,
        build=lambda: [NoticeSummary.of(notice) for notice in build()],
        depends_on=[versions.NOTICES],
        timeout=TIMEOUT,
    )


def cached_value(name, build):
    """A small value (e.g. the notice index's URL) cached like the lists."""
    return versions.cached(
        "notices:value", name, build=build, depends_on=[versions.NOTICES], timeout=TIMEOUT
    )
