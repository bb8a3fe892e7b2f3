"""Which grid am I in? Lookup by typed address, place, grid name or code, pinyin, or a point.

`find_by_text(q)` and `find_by_point(lat, lng)` return `Match`es from the in-memory index;
`grid_results(matches, request)` turns them into the public fields the page and API show.
`answer_kind(matches)` says whether they are one exact answer, candidates to choose from, or none:
an address whose street, road direction or number range does not match exactly is never given as
one grid with confidence.
"""

from django.db.models import Prefetch
from django.utils import timezone
from wagtail.images import get_image_model

from portal.links import absolute

from ..enums import OnDutyRole
from ..models.workers import GridWorker
from .index import MAX_QUERY_LENGTH, Match, get_index
from .normalise import normalise

PHOTO_SPEC = GridWorker.CARD_PHOTO_SPEC

__all__ = [
    "MAX_QUERY_LENGTH",
    "MATCH_PARTS",
    "Match",
    "answer_kind",
    "find_by_point",
    "find_by_text",
    "grid_results",
    "normalise",
]


# What an address lookup can match, in the order shown: street, road direction, lane, number.
MATCH_PARTS = ("street", "direction", "lane", "number")
EXACT, CANDIDATES, NONE = "exact", "candidates", "none"


def answer_kind(matches):
    """ "exact" (one grid, everything matched), "candidates" (to choose from) or "none"."""
    if not matches:
        return NONE
    if len(matches) == 1 and matches[0].exact:
        return EXACT
    return CANDIDATES


def find_by_text(query, limit=10):
    """Grids matching what a resident typed (address, place, grid name or code, pinyin)."""
    return get_index().search(query, limit=limit)


def find_by_point(lat, lng):
    """The grid containing a WGS84 point; [] when it is outside every boundary."""
    return get_index().at_point(lng, lat)


def grid_results(matches, request, day=None):
    """Public details of the matched grids, in order: code, name, url, areas, on duty."""
    from ..models import GridPage, GridWorker

    if not matches:
        return []
    index = get_index()
    day = day or timezone.localdate()
    Image = get_image_model()
    workers = GridWorker.objects.select_related("photo").prefetch_related(
        "leave_periods",
        Prefetch("photo", queryset=Image.objects.prefetch_renditions(PHOTO_SPEC)),
    )
    grids = {
        grid.pk: grid
        for grid in GridPage.objects.live()
        .filter(pk__in=[m.pk for m in matches])
        .prefetch_related(
            Prefetch("primary_worker", queryset=workers),
            Prefetch("backup_worker", queryset=workers),
        )
    }
    results = []
    for match in matches:
        grid = grids.get(match.pk)
        if grid is None:
            continue
        entry = index.grids.get(grid.pk)
        role = grid.on_duty_role(day)
        worker = grid.on_duty_worker(day)
        on_duty = None
        if worker is not None:
            photo_url = ""
            if worker.photo is not None:
                photo_url = absolute(worker.photo.get_rendition(PHOTO_SPEC).url)
            on_duty = {
                "name": worker.name,
                "role": str(role),
                "phone": worker.work_phone,
                "photo_url": photo_url,
            }
        results.append(
            {
                "pk": grid.pk,
                "code": grid.code,
                "name": grid.title,
                "url": absolute(grid.get_url(request)),
                "area": list(entry.areas) if entry else [a.title for a in grid.area_chain()],
                "on_duty": on_duty,
                "matched": match.matched,
                "exact": match.exact,
                "parts": [part for part in MATCH_PARTS if part in match.parts],
                "primary_on_leave": role == OnDutyRole.BACKUP and grid.primary_worker is not None,
            }
        )
    return results
