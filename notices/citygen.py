"""Notices for the synthetic benchmark city (home/management/commands/generate_city.py): many
live notices under the site's notice list, each aimed at one grid, written in bulk
(portal.bulk_pages). Made-up text only; for a benchmark database, never a live site."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grids.models import GridPage
from portal import versions
from portal.bulk_pages import BulkChildren, index_pages

from .models import NoticeCategory, NoticeIndexPage, NoticePage

TOPICS = ("环境整治", "停水通知", "社区活动", "安全检查", "垃圾分类", "志愿服务", "健康讲座")


def generate_notices(count, batch_size=500, index=False, today=None):
    """Create `count` notices, newest last, over the last two years; returns how many. With
    `index` they are added to the search index as well (slow: `manage.py update_index` later
    does the same)."""
    parent = NoticeIndexPage.objects.live().order_by("path").first()
    category = NoticeCategory.objects.order_by("sort_order", "pk").first()
    if parent is None or category is None:
        raise ValueError("a live notice list and a notice category are needed (load_demo)")
    grids = list(GridPage.objects.live().order_by("path").values_list("pk", flat=True))
    through = NoticePage._meta.get_field("target_grids").remote_field.through
    today = today or timezone.localdate()
    bulk = BulkChildren(timezone.now())
    start = NoticePage.objects.count()
    written = 0
    while written < count:
        size = min(batch_size, count - written)
        with transaction.atomic():
            pages = []
            for number in range(start + written, start + written + size):
                topic = TOPICS[number % len(TOPICS)]
                pages.append(
                    NoticePage(
                        title=f"关于{topic}的通知（第{number + 1}号）",
                        slug=f"city-notice-{number + 1}",
                        category=category,
                        publication_date=today - dt.timedelta(days=(count - number) % 730),
                        summary=f"{topic}：请居民留意时间安排。",
                    )
                )
            rows = bulk.add([(parent, page) for page in pages])
            if grids:
                through.objects.bulk_create(
                    [
                        through(noticepage_id=row.pk, gridpage_id=grids[(row.pk * 7) % len(grids)])
                        for row in rows
                    ]
                )
            versions.bump(versions.NOTICES)
            versions.bump(versions.PAGES)
        if index:
            index_pages(NoticePage, [row.pk for row in rows])
        written += size
    return written
