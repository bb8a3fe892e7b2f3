"""Factories for notices and publicity, shared by the demo loader and the tests."""

import datetime as dt

import factory
import wagtail_factories
from django.utils import timezone

from .enums import Urgency
from .models import (
    ApprovalIndexPage,
    ApprovalMatter,
    ApprovalOutcomePage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
)


class NoticeIndexPageFactory(wagtail_factories.PageFactory):
    title = "通知公告"
    introduction = ""

    class Meta:
        model = NoticeIndexPage


class NoticePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"关于社区工作安排的通知（{n}）")
    category = factory.LazyFunction(lambda: NoticeCategory.objects.get(slug="notice"))
    urgency = Urgency.NORMAL
    publication_date = factory.LazyFunction(timezone.localdate)
    summary = ""

    class Meta:
        model = NoticePage


class ApprovalIndexPageFactory(wagtail_factories.PageFactory):
    title = "公示公告"

    class Meta:
        model = ApprovalIndexPage


class ApprovalOutcomePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"2026年第{n}批最低生活保障新增对象公示")
    matter = factory.LazyFunction(lambda: ApprovalMatter.objects.get(slug="minimum-living"))
    publicity_start = factory.LazyFunction(timezone.localdate)
    publicity_days = 7
    objection_contact = "明华社区服务中心 010-6543 2100"

    class Meta:
        model = ApprovalOutcomePage


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)
