"""Routing: who gets a new case, by the rules kept as data."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from feedback.factories import FeedbackFactory
from feedback.intake.recipients import recipients_for
from feedback.models import RoutingRule
from grids.factories import LeavePeriodFactory
from home.factories import StandardPageFactory
from home.models import StandardPage
from portal import versions

pytestmark = pytest.mark.django_db


def case_for(category, **fields):
    with transaction.atomic():
        return FeedbackFactory(category=category, **fields)


def emails(case):
    return [r.email for r in recipients_for(case)]


def test_default_is_on_duty_worker_and_centre(grid, routine, centre):
    """By default a case goes to the grid's primary worker and the community centre."""
    case = case_for(routine, grid=grid, community=grid.community())
    assert emails(case) == ["zhang@example.org", "centre@example.org"]


def test_primary_on_leave_goes_to_backup(grid, routine, centre, workers):
    """While the primary is on leave the backup gets the case instead."""
    primary, _backup = workers
    today = timezone.localdate()
    LeavePeriodFactory(worker=primary, starts_on=today, ends_on=today + dt.timedelta(days=3))
    case = case_for(routine, grid=grid, community=grid.community())
    assert emails(case) == ["li@example.org", "centre@example.org"]


def test_unknown_grid_goes_to_centre(routine, centre):
    """A case with no grid goes to the (default) service centre only."""
    assert emails(case_for(routine)) == ["centre@example.org"]


def test_grid_without_worker_still_reaches_centre(east_grid, routine, centre):
    """A grid with nobody assigned: the centre gets it."""
    case = case_for(routine, grid=east_grid, community=east_grid.community())
    assert emails(case) == ["centre@example.org"]


def test_centre_gets_it_even_if_rules_forget(grid, routine, centre, workers):
    """With only the worker rule active and no worker on duty, the centre is still added."""
    RoutingRule.objects.filter(recipient="service_centre").update(active=False)
    primary, backup = workers
    grid.primary_worker = None
    grid.backup_worker = None
    grid.save()
    case = case_for(routine, grid=grid, community=grid.community())
    assert emails(case) == ["centre@example.org"]


def test_emergency_also_goes_to_duty_leaders(grid, emergency, routine, centre, duty_leaders):
    """An emergency goes to the worker, the centre and every duty leader; routine does not."""
    case = case_for(emergency, grid=grid, community=grid.community())
    assert emails(case) == [
        "zhang@example.org",
        "centre@example.org",
        "leader1@example.org",
        "leader2@example.org",
    ]
    routine_case = case_for(routine, grid=grid, community=grid.community())
    assert "leader1@example.org" not in emails(routine_case)


def test_objection_goes_to_office_named_on_publicity(
    grid, objection, centre, home_page, monkeypatch
):
    """An objection also goes to the `objection_email` the publicity page names."""
    monkeypatch.setattr(StandardPage, "objection_email", "office@example.org", raising=False)
    publicity = StandardPageFactory(parent=home_page, title="低保公示", slug="dibao")
    case = case_for(objection, grid=grid, community=grid.community(), publicity=publicity)
    assert emails(case)[-1] == "office@example.org"


def test_objection_without_office_is_still_routed(grid, objection, centre, home_page):
    """A publicity page without an office e-mail: worker and centre still get the objection."""
    publicity = StandardPageFactory(parent=home_page, title="临时救助公示", slug="jiuzhu")
    case = case_for(objection, grid=grid, community=grid.community(), publicity=publicity)
    assert emails(case) == ["zhang@example.org", "centre@example.org"]


def test_rule_limited_to_categories(grid, routine, emergency, centre):
    """A rule with categories chosen only applies to those categories."""
    rule = RoutingRule.objects.create(
        name="环境卫生抄送物业",
        recipient="listed_addresses",
        emails="property@example.org",
        sort_order=40,
    )
    rule.categories.add(routine)
    assert "property@example.org" in emails(case_for(routine, grid=grid))
    assert "property@example.org" not in emails(case_for(emergency, grid=grid))


def test_inactive_rule_is_ignored(grid, emergency, centre, duty_leaders):
    """Turning a rule off in the admin stops it."""
    duty_leaders.active = False
    duty_leaders.save()
    assert "leader1@example.org" not in emails(case_for(emergency, grid=grid))


def test_listed_addresses_rule_needs_an_address():
    """A 'listed addresses' rule without any address is refused with a message."""
    rule = RoutingRule(name="空规则", recipient="listed_addresses", emails=" , ")
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "请至少填写一个邮箱" in str(error.value)


def test_objection_office_from_contact_text(grid, objection, centre, home_page, monkeypatch):
    """Without `objection_email`, an address written in `objection_contact` is used."""
    monkeypatch.setattr(
        StandardPage,
        "objection_contact",
        "明华社区服务中心 010-6543 2100 yiyi@example.org",
        raising=False,
    )
    publicity = StandardPageFactory(parent=home_page, title="临时救助公示", slug="linshi")
    case = case_for(objection, grid=grid, community=grid.community(), publicity=publicity)
    assert emails(case)[-1] == "yiyi@example.org"


def test_changed_rules_and_centres_apply_to_the_next_case(grid, emergency, centre, duty_leaders):
    """Rules and centres are read from the cache; an edit in the admin applies at once."""
    case = case_for(emergency, grid=grid, community=grid.community())
    assert "leader1@example.org" in emails(case)
    duty_leaders.emails = "leader3@example.org"
    duty_leaders.save()
    centre.inbox_email = "new-inbox@example.org"
    centre.save()
    assert emails(case_for(emergency, grid=grid, community=grid.community())) == [
        "zhang@example.org",
        "new-inbox@example.org",
        "leader3@example.org",
    ]


def test_a_rule_limited_to_a_category_later_applies_at_once(grid, routine, emergency, centre):
    """Choosing a rule's categories (a many-to-many change) also takes effect at once."""
    rule = RoutingRule.objects.create(
        name="只抄送环境卫生", recipient="listed_addresses", emails="clean@example.org"
    )
    assert "clean@example.org" in emails(case_for(emergency, grid=grid, community=grid.community()))
    rule.categories.add(routine)
    assert "clean@example.org" not in emails(
        case_for(emergency, grid=grid, community=grid.community())
    )


def test_leave_and_worker_changes_apply_to_the_next_case(grid, routine, centre, workers):
    """The on-duty worker is cached; leave taken or ended, a changed address and a new primary
    on the grid (published) each apply to the very next case."""
    primary, backup = workers
    today = timezone.localdate()
    assert (
        emails(case_for(routine, grid=grid, community=grid.community()))[0] == "zhang@example.org"
    )

    leave = LeavePeriodFactory(worker=primary, starts_on=today, ends_on=today)
    assert emails(case_for(routine, grid=grid, community=grid.community()))[0] == "li@example.org"

    backup.email = "li.new@example.org"
    backup.save()
    assert emails(case_for(routine, grid=grid, community=grid.community()))[0] == (
        "li.new@example.org"
    )

    leave.delete()
    assert (
        emails(case_for(routine, grid=grid, community=grid.community()))[0] == "zhang@example.org"
    )

    grid.primary_worker, grid.backup_worker = backup, primary
    grid.save_revision().publish()
    assert emails(case_for(routine, grid=grid, community=grid.community()))[0] == (
        "li.new@example.org"
    )


def test_routing_a_case_reads_only_the_versions(
    grid, routine, centre, workers, django_assert_num_queries
):
    """Once cached, rules, centre and on-duty worker cost no query: only the version numbers."""
    recipients_for(case_for(routine, grid=grid, community=grid.community()))
    case = case_for(routine, grid=grid, community=grid.community())
    with versions.remembered(), django_assert_num_queries(1):
        assert [r.email for r in recipients_for(case)] == [
            "zhang@example.org",
            "centre@example.org",
        ]
