"""Who a new case goes to: the active routing rules applied to the case, as a list of recipients.

Defaults (data migration 0002): the grid's on-duty worker (the backup while the primary is on
leave) and the community's service centre; objections also go to the office named on the
publicity. The demo adds the duty leaders' list for emergencies. A case whose grid is unknown,
or whose grid has nobody on duty, still reaches the service centre, whatever the rules say.
"""

import re
from dataclasses import dataclass

from django.utils import timezone

from portal import versions

from ..enums import RecipientKind
from ..models import RoutingRule, ServiceCentre


@dataclass(frozen=True)
class Recipient:
    """One address a case goes to, with why."""

    email: str
    role: str
    label: str = ""


EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def publicity_office_email(page):
    """The objection inbox named on a publicity page, or "".

    Its specific page's `objection_email` when it has one, else the first e-mail address written
    in its `objection_contact` text (e.g. "明华社区服务中心 010-… objection@…").
    """
    if page is None:
        return ""
    specific = page.specific
    email = (getattr(specific, "objection_email", "") or "").strip()
    if not email:
        match = EMAIL_IN_TEXT.search(getattr(specific, "objection_contact", "") or "")
        email = match.group(0) if match else ""
    return email


def _active_rules():
    """The active rules with their categories, cached under the feedback set-up's version."""
    return versions.cached(
        "feedback:routing-rules",
        build=lambda: list(RoutingRule.objects.filter(active=True).prefetch_related("categories")),
        depends_on=[versions.FEEDBACK_SETUP],
    )


def _centre_for(community):
    """ServiceCentre.for_community, cached under the feedback set-up's version."""
    return versions.cached(
        "feedback:centre",
        getattr(community, "pk", None),
        build=lambda: ServiceCentre.for_community(community),
        depends_on=[versions.FEEDBACK_SETUP],
    )


def _centre_recipient(case):
    centre = _centre_for(case.community)
    if centre is None or not centre.inbox_email:
        return None
    return Recipient(centre.inbox_email, RecipientKind.SERVICE_CENTRE, centre.name)


def _on_duty_recipient(grid, day):
    worker = grid.on_duty_worker(day)
    if worker is None or not worker.email:
        return None
    return Recipient(worker.email, RecipientKind.ON_DUTY_WORKER, worker.name)


def _worker_recipient(case, day):
    """The grid's on-duty worker on `day`, cached under the versions of the area tree (which
    names the grid's workers) and of the workers (their addresses and leave)."""
    if case.grid_id is None:
        return None
    return versions.cached(
        "feedback:on-duty",
        case.grid_id,
        day.isoformat(),
        build=lambda: _on_duty_recipient(case.grid, day),
        depends_on=[versions.GRIDS, versions.WORKERS],
    )


def recipients_for(case, day=None):
    """The recipients of a new case by the active rules, each address once, in rule order."""
    day = day or timezone.localdate(case.created_at)
    found = []
    reached_someone_local = False
    for rule in _active_rules():
        if not rule.applies_to(case.category):
            continue
        if rule.recipient == RecipientKind.ON_DUTY_WORKER:
            recipient = _worker_recipient(case, day)
            reached_someone_local |= recipient is not None
            found.append(recipient)
        elif rule.recipient == RecipientKind.SERVICE_CENTRE:
            recipient = _centre_recipient(case)
            reached_someone_local |= recipient is not None
            found.append(recipient)
        elif rule.recipient == RecipientKind.LISTED_ADDRESSES:
            found += [Recipient(email, rule.recipient, rule.name) for email in rule.email_list]
        elif rule.recipient == RecipientKind.PUBLICITY_OFFICE:
            email = publicity_office_email(case.publicity)
            if email:
                found.append(Recipient(email, rule.recipient, case.publicity.title))
    if not reached_someone_local:
        # Nobody in the grid or community would see it: the service centre always does.
        found.append(_centre_recipient(case))
    unique, seen = [], set()
    for recipient in found:
        if recipient is None or recipient.email.lower() in seen:
            continue
        seen.add(recipient.email.lower())
        unique.append(recipient)
    return unique
