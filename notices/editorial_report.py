"""Editorial health: stale content that editors should look at."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .models import ApprovalIndexPage, ApprovalOutcomePage, NoticeIndexPage

HOME_STALE_DAYS = 14


@dataclass
class EditorialProblem:
    page: Page
    problem: str
    since: dt.datetime | None = None


def _newest_publication(root):
    """When anything at or under `root` was last published."""
    newest = (
        Page.objects.descendant_of(root, inclusive=True)
        .live()
        .exclude(last_published_at__isnull=True)
        .order_by("-last_published_at")
        .values_list("last_published_at", flat=True)
        .first()
    )
    return newest


def editorial_health(now=None):
    """Every problem found, most urgent first: ended publicity still live, then stale pages."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    problems = []
    for batch in ApprovalOutcomePage.objects.live().ended(today).order_by("publicity_end"):
        problems.append(
            EditorialProblem(
                batch,
                _("公示期已于 %(end)s 结束，页面仍为已发布状态（对外已显示为“公示已结束”）")
                % {"end": batch.publicity_end.isoformat()},
            )
        )
    for site in Site.objects.select_related("root_page"):
        home = site.root_page
        newest = _newest_publication(home)
        if newest is None or newest < now - dt.timedelta(days=HOME_STALE_DAYS):
            problems.append(
                EditorialProblem(
                    home.specific,
                    _("首页及其下所有页面已超过 %(days)d 天没有新内容") % {"days": HOME_STALE_DAYS},
                    newest,
                )
            )
    for index in NoticeIndexPage.objects.live():
        latest = index.notices().order_by(F("first_published_at").desc(nulls_first=True)).first()
        if latest is None:
            problems.append(EditorialProblem(index, _("栏目里还没有任何已发布的通知")))
            continue
        if latest.first_published_at and latest.first_published_at < now - dt.timedelta(
            days=index.stale_after_days
        ):
            problems.append(
                EditorialProblem(
                    index,
                    _("已超过 %(days)d 天没有新通知") % {"days": index.stale_after_days},
                    latest.first_published_at,
                )
            )
    for index in ApprovalIndexPage.objects.live():
        if not ApprovalOutcomePage.objects.child_of(index).live().exists():
            problems.append(EditorialProblem(index, _("栏目里还没有任何已发布的公示")))
    return problems
