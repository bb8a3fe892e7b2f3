"""Factories for areas, grids and workers, shared by the demo loader, the tests and the bench."""

import factory
import wagtail_factories

from .models import AreaPage, GridLevel, GridPage, GridWorker, LeavePeriod

# A point in the middle of the demo community (WGS84); tests build boxes around it.
ORIGIN = (116.4500, 39.9200)


def box(min_lon, min_lat, max_lon, max_lat):
    """A GeoJSON Polygon for a lon/lat rectangle (closed, counter-clockwise)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [min_lon, min_lat],
                [max_lon, min_lat],
                [max_lon, max_lat],
                [min_lon, max_lat],
                [min_lon, min_lat],
            ]
        ],
    }


class GridLevelFactory(factory.django.DjangoModelFactory):
    name = "日常管理型"
    sort_order = 10

    class Meta:
        model = GridLevel
        django_get_or_create = ("name",)


class GridWorkerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"网格员{n}")
    title = "专职网格员"
    work_phone = factory.Sequence(lambda n: f"138{n:08d}")
    duties = "入户走访、收集民情、调解纠纷、协助办理民生事项。"
    languages = "普通话"

    class Meta:
        model = GridWorker


class LeavePeriodFactory(factory.django.DjangoModelFactory):
    worker = factory.SubFactory(GridWorkerFactory)

    class Meta:
        model = LeavePeriod


class AreaPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"区域{n}")
    code = factory.Sequence(lambda n: f"A{n:04d}")
    level = "community"
    boundary = factory.LazyFunction(
        lambda: box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 0.01, ORIGIN[1] + 0.01)
    )

    class Meta:
        model = AreaPage


class GridPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}网格")
    code = factory.Sequence(lambda n: f"G{n:06d}")
    households = 180
    population = 420
    boundary = factory.LazyFunction(
        lambda: box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 0.005, ORIGIN[1] + 0.005)
    )

    class Meta:
        model = GridPage


def build_area_tree(parent, spec, *, origin=ORIGIN):
    """Build areas and grids under `parent` from a nested spec; return the pages by key.

    `spec` maps a key to a page's fields, plus `extent`: its box as (west, south, east, north)
    offsets in degrees from `origin`; `level="grid"` makes a grid page, any other level an area
    page; `children` is a spec of the same kind for the pages under it. Keys must be distinct
    across the whole tree. The tests' area trees and their fixtures are built with this.
    """
    pages = {}
    for key, fields in spec.items():
        fields = dict(fields)
        children = fields.pop("children", {})
        west, south, east, north = fields.pop("extent")
        fields["boundary"] = box(
            origin[0] + west, origin[1] + south, origin[0] + east, origin[1] + north
        )
        if fields.get("level") == "grid":
            del fields["level"]
            page = GridPageFactory(parent=parent, **fields)
        else:
            page = AreaPageFactory(parent=parent, **fields)
        pages[key] = page
        for child_key, child in build_area_tree(page, children, origin=origin).items():
            if child_key in pages:
                raise ValueError(f"area tree key {child_key!r} is used twice")
            pages[child_key] = child
    return pages
