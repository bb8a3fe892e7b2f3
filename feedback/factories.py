"""Factories for categories, centres, rules and cases (demo, tests and bench)."""

import factory

from .enums import DeadlineUnit, RecipientKind, WorkType
from .models import Feedback, FeedbackCategory, FeedbackFormPage, RoutingRule, ServiceCentre


class FeedbackCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"类别{n}")
    work_type = WorkType.ROUTINE
    deadline_amount = 5
    deadline_unit = DeadlineUnit.WORKING_DAYS

    class Meta:
        model = FeedbackCategory
        django_get_or_create = ("name",)


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"第{n}社区服务中心")
    inbox_email = factory.Sequence(lambda n: f"centre{n}@example.org")
    head_email = factory.Sequence(lambda n: f"centre-head{n}@example.org")

    class Meta:
        model = ServiceCentre


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"规则{n}")
    recipient = RecipientKind.SERVICE_CENTRE

    class Meta:
        model = RoutingRule


class FeedbackFactory(factory.django.DjangoModelFactory):
    category = factory.SubFactory(FeedbackCategoryFactory)
    subject = factory.Sequence(lambda n: f"诉求{n}")
    message = "楼道里的灯坏了好几天，晚上回家看不清楼梯。"

    class Meta:
        model = Feedback


class FeedbackFormPageFactory(factory.django.DjangoModelFactory):
    title = "我要反映"
    introduction = "<p>反映身边的问题，提出意见建议。</p>"

    class Meta:
        model = FeedbackFormPage
