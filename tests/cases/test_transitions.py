"""The case flow: every allowed and refused transition, owner rule, extensions, deadlines."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from feedback.enums import CaseState, ExtensionState, RoleLabel, Source
from feedback.handling.transitions import (
    TRANSITIONS,
    VERIFICATION_ACTIONS,
    TransitionError,
    decide_extension,
    file_on_behalf,
    reassign,
    reply,
    request_extension,
    transition,
)
from feedback.models import Feedback, SmsDelivery
from portal.models import CalendarDay

pytestmark = pytest.mark.django_db
LOCAL = timezone.get_fixed_timezone(8 * 60)
ALL_STATES = list(CaseState.values)
ALLOWED = [
    (action, state)
    for action, (sources, _t, _n) in TRANSITIONS.items()
    for state in sorted(sources)
]
REFUSED = [
    (action, state)
    for action, (sources, _t, _n) in TRANSITIONS.items()
    for state in ALL_STATES
    if state not in sources
]


def _in_state(case_world, state):
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_allowed_transition(case_world, action, state):
    """Each allowed transition moves the case and records who, when and the note."""
    case = _in_state(case_world, state)
    # Verification is the service centre's; everything else a grid worker may do.
    actor = (
        case_world.centre_a_user if action in VERIFICATION_ACTIONS else case_world.worker_a1_user
    )
    result = transition(case, action, actor, note="说明", assignee=case_world.worker_a1_user)
    assert result.state == TRANSITIONS[action][1]
    event = result.events.latest("pk")
    assert (event.state, event.actor, event.note) == (TRANSITIONS[action][1], actor, "说明")
    assert event.at is not None


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_refused_transition(case_world, action, state):
    """Every transition from a state it does not start from is refused and changes nothing."""
    case = _in_state(case_world, state)
    with pytest.raises(TransitionError):
        transition(
            case, action, case_world.worker_a1_user, note="说明", assignee=case_world.worker_a1_user
        )
    case.refresh_from_db()
    assert case.state == state
    assert not case.events.exists()


def test_no_closing_without_verification(case_world):
    """An in-progress case cannot be closed: the message names the verification step."""
    case = _in_state(case_world, CaseState.IN_PROGRESS)
    with pytest.raises(TransitionError, match="核查"):
        transition(case, "close", case_world.worker_a1_user)


def test_full_flow_to_closed(case_world):
    """received → dispatched → in progress → verified → closed, with closing time recorded."""
    case = case_world.case()
    user = case_world.worker_a1_user
    case = transition(case, "dispatch", user, assignee=user)
    case = transition(case, "start", user)
    case = transition(case, "verify", case_world.centre_a_user, note="现场核查，灯已修好")
    case = transition(case, "close", user)
    assert case.state == CaseState.CLOSED
    assert case.closed_at is not None and case.verified_at is not None
    assert [e.state for e in case.events.all()] == [
        "dispatched",
        "in_progress",
        "verified",
        "closed",
    ]


@pytest.mark.parametrize("action", ["verify", "return", "reopen", "reject_verification"])
def test_note_required(case_world, action):
    """Verification, return, reopening and failed verification need a note."""
    state = next(iter(TRANSITIONS[action][0]))
    case = _in_state(case_world, state)
    with pytest.raises(TransitionError, match="请填写"):
        transition(case, action, case_world.centre_a_user, note="  ")


def test_return_reason_is_kept_for_the_resident(case_world, client):
    """A returned case keeps its reason and the tracking page shows it."""
    case = case_world.case()
    transition(case, "return", case_world.centre_a_user, note="属于物业管理范围，请联系物业公司")
    case.refresh_from_db()
    assert case.return_reason == "属于物业管理范围，请联系物业公司"
    html = client.get(f"/feedback/track/{case.tracking_code}/").content.decode()
    assert "属于物业管理范围，请联系物业公司" in html


def test_reopen_clears_closing(case_world):
    """A closed case can be reopened with a note; it is no longer closed."""
    case = _in_state(case_world, CaseState.CLOSED)
    case = transition(case, "reopen", case_world.head_a_user, note="居民反映问题复发")
    assert case.state == CaseState.REOPENED and case.closed_at is None


def test_worker_of_another_grid_cannot_act(case_world):
    """A worker of community B cannot move a case of grid A1."""
    case = case_world.case()
    with pytest.raises(TransitionError, match="无权"):
        transition(case, "dispatch", case_world.worker_b1_user, assignee=case_world.worker_b1_user)


def test_first_owner_stays_through_reassignment(case_world):
    """The first staff member who acts owns the case; reassignment changes only the assignee."""
    case = case_world.case()
    case = transition(
        case, "dispatch", case_world.centre_a_user, assignee=case_world.worker_a1_user
    )
    assert case.owner == case_world.centre_a_user
    case = reassign(case, case_world.worker_a1_user, case_world.worker_a2_user, "甲二网格更近")
    case = transition(case, "start", case_world.worker_a2_user)
    case.refresh_from_db()
    assert case.owner == case_world.centre_a_user
    assert case.assignee == case_world.worker_a2_user


def test_reassignment_needs_a_reason(case_world):
    """Reassigning without a reason is refused."""
    case = case_world.case()
    with pytest.raises(TransitionError, match="理由"):
        reassign(case, case_world.centre_a_user, case_world.worker_a2_user, "")


def test_reassignment_reason_is_internal(case_world, client):
    """The reassignment's reason is on the staff timeline only, not on the tracking page."""
    case = case_world.case()
    reassign(case, case_world.centre_a_user, case_world.worker_a2_user, "内部调整原因XYZ")
    html = client.get(f"/feedback/track/{case.tracking_code}/").content.decode()
    assert "内部调整原因XYZ" not in html
    assert case.events.filter(note="内部调整原因XYZ", public=False).exists()


def test_extension_needs_a_reason(case_world):
    """An extension request without a reason is refused."""
    case = _in_state(case_world, CaseState.IN_PROGRESS)
    with pytest.raises(TransitionError, match="理由"):
        request_extension(case, case_world.worker_a1_user, "", 5)


def test_extension_waits_for_service_centre_approval(case_world):
    """A request alone changes neither state nor deadline; a worker cannot approve it."""
    case = _in_state(case_world, CaseState.IN_PROGRESS)
    before = case.deadline
    extension = request_extension(case, case_world.worker_a1_user, "等待配件到货", 3)
    case.refresh_from_db()
    assert (case.state, case.deadline) == (CaseState.IN_PROGRESS, before)
    with pytest.raises(TransitionError, match="社区服务中心"):
        decide_extension(extension, case_world.worker_a2_user, approve=True)


def test_extension_approved_moves_deadline_in_working_days(case_world):
    """The centre approves: the case is extended and its deadline moves 3 working days."""
    case = _in_state(case_world, CaseState.IN_PROGRESS)
    Feedback.objects.filter(pk=case.pk).update(
        deadline=dt.datetime(2026, 3, 6, 17, tzinfo=LOCAL)  # a Friday
    )
    case.refresh_from_db()
    extension = request_extension(case, case_world.worker_a1_user, "等待配件到货", 3)
    case = decide_extension(extension, case_world.head_a_user, approve=True, note="同意")
    extension.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED
    assert case.state == CaseState.EXTENDED
    assert timezone.localtime(case.deadline).replace(tzinfo=None) == dt.datetime(2026, 3, 11, 17)


def test_extension_refused_leaves_case(case_world):
    """A refused extension leaves state and deadline as they were."""
    case = _in_state(case_world, CaseState.DISPATCHED)
    before = case.deadline
    extension = request_extension(case, case_world.worker_a1_user, "人手不足", 5)
    decide_extension(extension, case_world.centre_a_user, approve=False, note="请按期办理")
    case.refresh_from_db()
    assert (case.state, case.deadline) == (CaseState.DISPATCHED, before)


def test_centre_of_another_community_cannot_approve(case_world):
    """Community B's centre cannot approve an extension of a community A case."""
    case = _in_state(case_world, CaseState.IN_PROGRESS)
    extension = request_extension(case, case_world.worker_a1_user, "等待配件", 2)
    with pytest.raises(TransitionError):
        decide_extension(extension, case_world.centre_b_user, approve=True)


def test_filing_on_behalf_records_source_and_owner(case_world):
    """A case taken by phone records the source, the filer as owner, and a timeline step."""
    case = file_on_behalf(
        case_world.centre_a_user,
        Source.PHONE,
        category=case_world.category,
        grid=case_world.grid_a1,
        subject="电话反映路灯不亮",
        message="三号楼前路灯不亮。",
    )
    assert case.source == Source.PHONE
    assert case.owner == case_world.centre_a_user
    assert case.community == case_world.community_a
    event = case.events.get()
    assert event.role_label == RoleLabel.SERVICE_CENTRE and "电话" in event.note


def test_deadline_counts_from_dispatch_across_holiday_and_make_up_day(case_world):
    """Dispatched on a Thursday before a Friday holiday, with a make-up Sunday: 5 working days
    are Sun, Mon, Tue, Wed, Thu."""
    CalendarDay.objects.filter(date__year=2026, date__month=4).delete()
    CalendarDay.objects.update_or_create(
        date=dt.date(2026, 4, 3), defaults={"kind": CalendarDay.HOLIDAY, "name": "测试假日"}
    )
    CalendarDay.objects.update_or_create(
        date=dt.date(2026, 4, 5), defaults={"kind": CalendarDay.WORKING_DAY, "name": "调休"}
    )
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=LOCAL), tick=False):
        case = case_world.case()
    with time_machine.travel(dt.datetime(2026, 4, 2, 10, tzinfo=LOCAL), tick=False):
        case = transition(
            case, "dispatch", case_world.worker_a1_user, assignee=case_world.worker_a1_user
        )
    assert timezone.localtime(case.deadline).replace(tzinfo=None) == dt.datetime(2026, 4, 9, 17)


def test_deadline_in_working_hours_from_dispatch(case_world):
    """An emergency category counts 4 office hours from dispatch, skipping the night."""
    case_world.category.deadline_amount = 4
    case_world.category.deadline_unit = "working_hours"
    case_world.category.save()
    case = case_world.case()
    with time_machine.travel(dt.datetime(2026, 3, 4, 15, tzinfo=LOCAL), tick=False):
        case = transition(
            case, "dispatch", case_world.worker_a1_user, assignee=case_world.worker_a1_user
        )
    assert timezone.localtime(case.deadline).replace(tzinfo=None) == dt.datetime(2026, 3, 5, 11)


def _handled_by_worker(case_world):
    """A case of grid A1 that worker A1 dispatched to themselves and started handling."""
    case = case_world.case()
    user = case_world.worker_a1_user
    case = transition(case, "dispatch", user, assignee=user)
    return transition(case, "start", user)


def test_grid_worker_cannot_verify_their_own_case(case_world):
    """A grid worker who handled a case cannot verify it: refused with a clear message."""
    case = _handled_by_worker(case_world)
    with pytest.raises(TransitionError, match="核查须由社区服务中心、管理员进行"):
        transition(case, "verify", case_world.worker_a1_user, note="已修好")
    case.refresh_from_db()
    assert (case.state, case.verified_at, case.verified_by) == (CaseState.IN_PROGRESS, None, None)


def test_other_grid_worker_cannot_verify_either(case_world):
    """Verification is not a grid worker's, even for the grid's backup who did not handle it."""
    case = _handled_by_worker(case_world)
    with pytest.raises(TransitionError, match="核查须由"):
        transition(case, "verify", case_world.backup_user, note="已修好")


def test_service_centre_verifies_and_is_recorded(case_world):
    """The service centre verifies a case the worker handled; the verifier is recorded."""
    case = _handled_by_worker(case_world)
    case = transition(case, "verify", case_world.centre_a_user, note="回访确认已修好")
    assert (case.state, case.verified_by, case.handled_by) == (
        CaseState.VERIFIED,
        case_world.centre_a_user,
        case_world.worker_a1_user,
    )
    event = case.events.get(state=CaseState.VERIFIED)
    assert (event.actor, event.role_label) == (case_world.centre_a_user, RoleLabel.SERVICE_CENTRE)


def test_centre_staff_who_handled_the_case_cannot_verify_it(case_world):
    """A centre staff member who started handling a case cannot verify it themselves."""
    case = case_world.case()
    centre = case_world.centre_a_user
    case = transition(case, "dispatch", centre, assignee=case_world.worker_a1_user)
    case = transition(case, "start", centre)
    with pytest.raises(TransitionError, match="不能核查自己办理的诉求"):
        transition(case, "verify", centre, note="已修好")
    assert transition(case, "verify", case_world.head_a_user, note="已修好").state == "verified"


def test_assignee_cannot_verify(case_world):
    """The account the case is assigned to cannot verify it, even an administrator."""
    case = case_world.case()
    case = transition(case, "dispatch", case_world.centre_a_user, assignee=case_world.admin)
    case = transition(case, "start", case_world.worker_a1_user)
    with pytest.raises(TransitionError, match="承办人或处置人"):
        transition(case, "verify", case_world.admin, note="已修好")


def test_failed_verification_is_the_verifiers_too(case_world):
    """Only a verifier may record a failed verification; the handler may not."""
    case = _handled_by_worker(case_world)
    case = transition(case, "verify", case_world.centre_a_user, note="已修好")
    with pytest.raises(TransitionError, match="核查须由"):
        transition(case, "reject_verification", case_world.worker_a1_user, note="没修好")
    case = transition(case, "reject_verification", case_world.centre_a_user, note="没修好")
    assert (case.state, case.verified_by) == (CaseState.IN_PROGRESS, None)


def test_verifier_roles_setting(case_world, settings):
    """FEEDBACK_VERIFIER_ROLES names the roles that verify: here grid workers only."""
    from portal import roles

    settings.FEEDBACK_VERIFIER_ROLES = [roles.GRID_WORKERS]
    case = _handled_by_worker(case_world)
    with pytest.raises(TransitionError, match="核查须由网格员进行"):
        transition(case, "verify", case_world.centre_a_user, note="已修好")
    case = transition(case, "verify", case_world.backup_user, note="已修好")
    assert case.verified_by == case_world.backup_user


def test_reply_and_closing_are_texted_to_the_residents_mobile(case_world):
    """The answer and the closing notice go by SMS too, each once, with the case's link."""
    case = _in_state(case_world, CaseState.IN_PROGRESS)
    reply(case, case_world.worker_a1_user, "路灯已修好。")
    reply(case, case_world.worker_a1_user, "路灯已修好，谢谢。")
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED)
    case.refresh_from_db()
    transition(case, "close", case_world.centre_a_user)
    rows = {row.purpose: row for row in SmsDelivery.objects.filter(case=case)}
    assert sorted(rows) == ["closed", "reply"]
    assert rows["reply"].phone == "13912345678"
    assert rows["reply"].params["link"].endswith(f"/feedback/track/{case.tracking_code}/")
