"""Household visits: the ones due again (再次走访) and their reminders, and the follow-up visit
after a poor rating recorded as a visit.

A visit with a follow-up date is due until a later visit names it as its previous one. Its
visitor and companion are e-mailed once, on the working day before the date (or on the date
when that is the first working day the worker runs on).
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal import links, mail
from portal.calendar import add_working_days

from .models import Visit, VisitPurpose


def due_visits(day=None):
    """Visits to go back to by the next working day after `day` and not yet followed up."""
    day = day or timezone.localdate()
    horizon = add_working_days(day, 1)
    return (
        Visit.objects.filter(follow_up_on__isnull=False, follow_up_on__lte=horizon)
        .filter(next_visits__isnull=True)
        .select_related("grid", "visitor", "companion")
        .order_by("follow_up_on", "pk")
    )


def record_url(visit):
    """The admin's form for the next visit, naming `visit` as its previous one (staff only)."""
    return links.absolute(reverse("fieldwork_visits:add") + f"?previous={visit.pk}")


def remind_due_visits(now=None):
    """E-mail the visitor and companion of each due visit once. Returns how many visits."""
    now = now or timezone.now()
    reminded = 0
    for visit in due_visits(timezone.localtime(now).date()).filter(reminded_at__isnull=True):
        recipients = sorted(
            {u.email for u in (visit.visitor, visit.companion) if u is not None and u.email}
        )
        with transaction.atomic():
            if not Visit.objects.filter(pk=visit.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            if recipients:
                message = mail.render(
                    "fieldwork/email/visit_reminder",
                    {"visit": visit, "record_url": record_url(visit)},
                )
                mail.queue(
                    recipients,
                    message,
                    message_id=mail.new_message_id("visit", visit.pk),
                )
        reminded += 1
    return reminded


def visible_due_visits(visits, day=None):
    """The due visits among `visits` (a queryset from fieldwork.visibility)."""
    return due_visits(day).filter(pk__in=visits.values("pk"))


def follow_up_initial(follow_up):
    """A new visit's fields for the follow-up (回访) a poor rating opened."""
    case = follow_up.case
    return {
        "grid": case.grid_id,
        "address": case.place,
        "purpose": VisitPurpose.POOR_RATING,
        "case": case.pk,
        "follow_up": follow_up.pk,
    }


def open_follow_ups(cases):
    """The follow-ups not yet completed of `cases` (visible cases), oldest due first."""
    from feedback.models import FollowUp

    return (
        FollowUp.objects.filter(case__in=cases, completed_at__isnull=True)
        .filter(~Q(case__grid=None))
        .select_related("case", "case__grid")
        .order_by("due_at")
    )
