"""The tiling rule on publish: an area's published children cover it, no overlap, no gap.

Editors build an area one grid at a time, so a half-divided area has a gap that shrinks with
each grid published. Publishing is therefore refused when it would:

- make the page overlap a published sibling (more than the tolerance, in m²);
- push the page outside its parent area;
- open or widen a gap in the parent (the parent's uncovered part grows); or, for an area
  with published children, leave a child outside the new boundary or open a gap in it.

Once an area is fully covered it stays fully covered. Moving a border shared by two grids is
done by the import command, which checks a whole area at once (see `check_tiling`).
"""

from contextlib import contextmanager
from contextvars import ContextVar

import shapely

from .geometry import (
    TilingProblem,
    _pieces,
    _unprojector,
    check_tiling,
    project_to_metres,
    tiling_tolerance_m2,
    to_shape,
)

_skip = ContextVar("grids_skip_publish_check", default=False)


@contextmanager
def skip_publish_check():
    """Publish without the per-page check, for a caller that has checked whole areas (import)."""
    token = _skip.set(True)
    try:
        yield
    finally:
        _skip.reset(token)


def _live_children(parent, exclude_pk=None):
    from .models import AreaPage, GridPage

    children = []
    for model in (AreaPage, GridPage):
        queryset = model.objects.child_of(parent).live().only("pk", "title", "code", "boundary")
        if exclude_pk:
            queryset = queryset.exclude(pk=exclude_pk)
        children.extend(queryset)
    return children


def _label(page):
    return f"{page.code}（{page.title}）" if getattr(page, "code", "") else page.title


def _new_gap_problems(parent_label, parent_m, before, after, tolerance, inverse):
    """Gap pieces present with `after` coverage that were covered by `before` (metres)."""
    gap_before = parent_m.difference(before) if before is not None else parent_m
    gap_after = parent_m.difference(after)
    problems = []
    for piece in _pieces(gap_after.difference(gap_before)):
        if piece.area > tolerance:
            point = shapely.transform(piece.representative_point(), inverse)
            problems.append(TilingProblem("gap", piece.area, point.x, point.y, (parent_label,)))
    return problems


def publish_problems(page, parent=None):
    """The tiling problems that refuse publishing `page` with its (new) boundary; [] if fine."""

    from .models import AreaPage

    if _skip.get():
        return []
    tolerance = tiling_tolerance_m2()
    if not page.boundary:
        return []
    try:
        new_shape = to_shape(page.boundary)
    except (ValueError, TypeError, KeyError, AttributeError):
        return []
    if parent is None and page.pk:
        parent = page.get_parent()
    if parent is not None:
        parent = parent.specific
    lon0 = new_shape.centroid.x
    inverse = _unprojector(lon0)
    new_m = project_to_metres(new_shape, lon0)
    live_shape = None
    if page.pk:
        live = type(page).objects.filter(pk=page.pk, live=True).values_list("boundary", flat=True)
        live = list(live)
        if live and live[0]:
            live_shape = project_to_metres(to_shape(live[0]), lon0)
    problems = []

    if isinstance(parent, AreaPage):
        siblings = _live_children(parent, exclude_pk=page.pk)
        sibling_shapes = [
            (_label(s), project_to_metres(to_shape(s.boundary), lon0)) for s in siblings
        ]
        me = _label(page)
        for label, shape in sibling_shapes:
            overlap = new_m.intersection(shape)
            if overlap.area > tolerance:
                point = shapely.transform(overlap.representative_point(), inverse)
                problems.append(
                    TilingProblem("overlap", overlap.area, point.x, point.y, (me, label))
                )
        parent_m = project_to_metres(parent.shape, lon0)
        outside = new_m.difference(parent_m)
        if outside.area > tolerance:
            point = shapely.transform(outside.representative_point(), inverse)
            problems.append(
                TilingProblem("outside", outside.area, point.x, point.y, (me, _label(parent)))
            )
        others = [shape for _label_, shape in sibling_shapes]
        before = shapely.union_all(others + ([live_shape] if live_shape is not None else []))
        after = shapely.union_all([*others, new_m])
        problems += _new_gap_problems(_label(parent), parent_m, before, after, tolerance, inverse)

    if isinstance(page, AreaPage) and page.pk:
        children = _live_children(page)
        if children:
            child_shapes = [(_label(c), to_shape(c.boundary)) for c in children]
            report = check_tiling(_label(page), new_shape, child_shapes, tolerance)
            problems += report.of_kind("outside")
            union = shapely.union_all([project_to_metres(s, lon0) for _l, s in child_shapes])
            if live_shape is not None:
                # Only a gap the new boundary opens refuses publishing; an old one is reported
                # by the admin as a warning.
                gap_before = live_shape.difference(union)
                gap_after = new_m.difference(union)
                for piece in _pieces(gap_after.difference(gap_before)):
                    if piece.area > tolerance:
                        point = shapely.transform(piece.representative_point(), inverse)
                        problems.append(
                            TilingProblem("gap", piece.area, point.x, point.y, (_label(page),))
                        )
            else:
                problems += report.of_kind("gap")
    return problems


def area_gaps(area):
    """The gaps that remain in a published area (children not yet covering it); a warning."""
    children = _live_children(area)
    if not children:
        return []
    report = check_tiling(
        _label(area), area.shape, [(_label(c), to_shape(c.boundary)) for c in children]
    )
    return report.of_kind("gap")
