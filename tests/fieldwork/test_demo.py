"""The demo month of the grid worker's day: patrols on the working days of every grid, findings
turned into cases and slips, slips in every state, visits with A and B together and the
follow-up visit after a poor rating."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.enums import Source
from fieldwork.demo import DAYS
from fieldwork.models import HandoverSlip, Line, Patrol, PatrolFinding, SlipState, Visit
from fieldwork.patrols import missing_entries, week_start_of
from grids.models import GridPage
from portal.calendar import is_working_day

pytestmark = pytest.mark.django_db


def test_every_grid_logged_most_working_days_of_the_month(loaded_demo):
    """Each of the nine grids has a patrol on at least four in five working days."""
    today = timezone.localdate()
    working = [
        today - timezone.timedelta(days=n)
        for n in range(1, DAYS + 1)
        if is_working_day(today - timezone.timedelta(days=n))
    ]
    for grid in GridPage.objects.live():
        logged = set(Patrol.objects.filter(grid=grid).values_list("date", flat=True))
        assert len(logged & set(working)) >= 0.8 * len(working), grid.title


def test_the_centre_report_has_grids_without_todays_entry(loaded_demo):
    """Today some grids have not logged yet, so the missing-entry report is not empty."""
    today = timezone.localdate()
    if not is_working_day(today):
        pytest.skip("today is not a working day")
    days = dict(missing_entries(GridPage.objects.live(), week_start_of(today), today))
    assert days[today]


def test_findings_became_cases_and_slips(loaded_demo):
    """Some findings were filed as cases by their worker, others handed to lines."""
    cases = PatrolFinding.objects.filter(case__isnull=False)
    assert cases.exists()
    assert all(f.case.source == Source.PATROL and f.case.owner_id for f in cases)
    assert PatrolFinding.objects.filter(slips__isnull=False).exists()


def test_slips_are_in_every_state_and_one_was_escalated(loaded_demo):
    """Done, acknowledged and sent slips, and an overdue one escalated to the centre."""
    states = set(HandoverSlip.objects.values_list("state", flat=True))
    assert {SlipState.DONE, SlipState.ACKNOWLEDGED} <= states
    assert HandoverSlip.objects.filter(escalated_at__isnull=False).exists()
    assert Line.objects.count() == 6


def test_visits_go_in_pairs_and_follow_up_a_poor_rating(loaded_demo):
    """Care visits have a companion; the poor rating's follow-up is recorded as a visit."""
    assert Visit.objects.filter(purpose="care", companion__isnull=False).exists()
    assert Visit.objects.filter(follow_up__isnull=False, purpose="poor_rating").exists()
    assert Visit.objects.filter(follow_up_on__isnull=False).exists()


def test_loading_again_adds_no_second_month(loaded_demo):
    """A second load_demo leaves the month as it is."""
    before = (Patrol.objects.count(), HandoverSlip.objects.count(), Visit.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    after = (Patrol.objects.count(), HandoverSlip.objects.count(), Visit.objects.count())
    assert before == after
