"""The demo: the form page, centres, rules and about twenty cases."""

import io

import pytest
from django.core.management import call_command

from feedback.demo import CASES
from feedback.models import Feedback, FeedbackFormPage, RoutingRule, ServiceCentre

pytestmark = pytest.mark.django_db


def test_demo_has_form_page_and_cases(client):
    """load_demo gives /feedback/, a default centre, the duty-leader rule and 20 intake cases."""
    call_command("load_demo", stdout=io.StringIO())
    assert FeedbackFormPage.objects.live().get().url == "/feedback/"
    assert client.get("/feedback/").status_code == 200
    assert ServiceCentre.objects.filter(is_default=True).count() == 1
    assert RoutingRule.objects.filter(recipient="listed_addresses", emergency_only=True).exists()
    # The intake demo's 20 cases (the case-handling demo adds more in later states).
    cases = Feedback.objects.filter(subject__in=[case[1] for case in CASES])
    assert cases.count() == 20
    assert cases.values("category").distinct().count() >= 7
    assert all(case.deliveries.exists() for case in cases)
    assert all(case.events.filter(state="received").count() == 1 for case in cases)
