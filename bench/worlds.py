"""Worlds the benches build in their own test database (imported as `bench.worlds`)."""


def community_with_grids(count, code="B1"):
    """A community under the default site's home page with `count` side-by-side grids:
    (community, [grids])."""
    from wagtail.models import Site

    from grids.factories import ORIGIN, AreaPageFactory, GridPageFactory, box

    lon, lat = ORIGIN
    home = Site.objects.get(is_default_site=True).root_page
    community = AreaPageFactory(parent=home, title="社区", slug="c", code=code, level="community")
    grids = [
        GridPageFactory(
            parent=community,
            slug=f"g{i}",
            code=f"{code}{i:03d}",
            boundary=box(lon + i * 0.001, lat, lon + (i + 1) * 0.001, lat + 0.01),
        )
        for i in range(count)
    ]
    return community, grids
