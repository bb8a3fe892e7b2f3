"""The public form and confirmation pages."""

from django.db.models import F
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from grids.lookup import EXACT, answer_kind, find_by_text, grid_results
from portal.parsing import parse_id, parse_text
from portal.ratelimit import client_ip

from ..enums import WorkType
from ..models import Feedback, FeedbackCategory
from . import sms
from .forms import (
    PUBLICITY_LINK_REFUSED,
    FeedbackForm,
    chosen_community,
    community_choices,
    grid_and_community,
    open_publicity,
)
from .ratelimit import check_and_count, refusal_message
from .receive import receive_form

# The confirmation page finds the case just sent through a signed, short-lived cookie kept by
# the sender's browser only: nothing is written to the database for it, and no code is in a URL.
CONFIRMATION_COOKIE = "feedback_confirmation"
CONFIRMATION_MAX_AGE = 3600


FORM_BODY_TEMPLATE = "feedback/includes/form_body.html"


def _preset(request):
    """(category, publicity, refused) a link pre-sets the form with: ?publicity= (an objection
    to a publicity batch still in its period) or ?category= (a category's id or work type); None
    for what is not given or names nothing. `refused` is True when ?publicity= names anything
    else (the form then says so). Costs no query for the plain form."""
    value, wanted = request.GET.get("publicity", ""), request.GET.get("category", "")
    if not (value or wanted):
        return None, None, False
    active = FeedbackCategory.objects.filter(active=True)
    if value:
        publicity = open_publicity(value)
        if publicity is not None:
            return active.filter(work_type=WorkType.OBJECTION).first(), publicity, False
    refused = bool(value)
    pk, work_type = parse_id(wanted), parse_text(wanted)
    if pk is not None:
        return active.filter(pk=pk).first(), None, refused
    if work_type:
        return active.filter(work_type=work_type).first(), None, refused
    return None, None, refused


def _body_context(page, form, publicity, category=None):
    categories = list(FeedbackCategory.objects.filter(active=True))
    return {
        "communities": community_choices(),
        "community": form.community,
        # What the community step (a GET form) carries over: the link's presets.
        "preset_category": category.pk if category is not None else "",
        "page": page,
        "self": page,
        "form": form.annotate(),
        "selected_category": form.selected_category(),
        "categories": categories,
        "has_emergency": any(c.emergency for c in categories),
        "publicity": publicity,
    }


def _render(request, page, body, status=200, notice="", has_errors=False):
    context = {
        "page": page,
        "self": page,
        "form_body": mark_safe(body),
        "notice": notice,
        "has_errors": has_errors,
    }
    return TemplateResponse(request, "feedback/feedback_form_page.html", context, status=status)


def _grid_candidates(request, form):
    """The grids the form asks the resident to choose among, each with its on-duty worker."""
    results = grid_results(form.grid_candidates, request)
    return [{**result, "value": f"g{result['pk']}"} for result in results]


def _render_bound(request, page, form, publicity, status):
    """The form as the resident sent it, with its messages (never cached)."""
    context = _body_context(page, form, publicity)
    if form.grid_candidates:
        context["grid_candidates"] = _grid_candidates(request, form)
    body = render_to_string(FORM_BODY_TEMPLATE, context, request)
    return _render(request, page, body, status, has_errors=bool(form.errors))


def _empty_form(category, publicity, community=None):
    """The empty form, pre-set with a category, (for an objection) its publicity, and the
    community whose grids it lists."""
    initial = {"category": category}
    if publicity is not None:
        initial["publicity"] = publicity.pk
        initial["subject"] = _("对《%(title)s》的异议") % {"title": publicity.title}
    return FeedbackForm(initial=initial, community=community)


ADDRESS_MAX_LENGTH = 80


def _address_step(request):
    """(grid, community, message) from the community step's address box (`?address=`), the
    lookup without JavaScript: one exact grid is chosen and its community's grids listed; near
    misses are named for the resident to choose among."""
    text = parse_text(request.GET.get("address", ""), max_length=ADDRESS_MAX_LENGTH)
    if text is None:
        return None, None, _("地址最多%(n)s个字，且不能含控制字符。") % {"n": ADDRESS_MAX_LENGTH}
    if not text:
        return None, None, ""
    matches = find_by_text(text)
    if answer_kind(matches) == EXACT:
        found = grid_and_community(f"g{matches[0].pk}")
        if found is not None:
            grid, community = found
            return (
                grid,
                community,
                _("已找到：%(name)s（%(code)s），已在列表中选中。")
                % {
                    "name": grid.title,
                    "code": grid.code,
                },
            )
    if matches:
        names = "、".join(f"{r['name']}（{r['code']}）" for r in grid_results(matches, request))
        return (
            None,
            None,
            _("地址没有完全匹配，可能是：%(names)s。请选择社区后在列表中选择。") % {"names": names},
        )
    return None, None, _("没有找到对应的网格，请选择社区后在列表中选择，或选“我不知道”。")


def _empty_form_body(request, page, category, publicity):
    """The empty form's body; `?community=` lists that community's grids, `?address=` looks the
    grid up. (The plain form's whole page is kept for anonymous visitors, each served their own
    CSRF token: portal.anonymous_pages; a page with a query string is not kept.)"""
    grid, community, found = _address_step(request)
    if community is None:
        community = chosen_community(request.GET.get("community"))
    form = _empty_form(category, publicity, community)
    if grid is not None:
        form.initial["grid"] = f"g{grid.pk}"
    context = _body_context(page, form, publicity, category)
    context["address_status"] = found
    context["address"] = parse_text(request.GET.get("address", ""), ADDRESS_MAX_LENGTH) or ""
    return render_to_string(FORM_BODY_TEMPLATE, context, request)


def form_page(request, page):
    """GET: the empty form (pre-set for an objection with ?publicity=). POST: save the case."""
    if request.method != "POST":
        category, publicity, refused = _preset(request)
        body = _empty_form_body(request, page, category, publicity)
        return _render(request, page, body, notice=PUBLICITY_LINK_REFUSED if refused else "")

    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        publicity = form.cleaned_data.get("publicity") if hasattr(form, "cleaned_data") else None
        return _render_bound(request, page, form, publicity, status=400)
    data = form.cleaned_data
    over = check_and_count(client_ip(request), data["contact_phone"], data["contact_email"])
    if over is not None:
        form.add_error(None, refusal_message(request, over, photos=bool(data["photos"])))
        return _render_bound(request, page, form, data.get("publicity"), status=429)
    case = receive_form(
        data,
        submitter=request.user if request.user.is_authenticated else None,
        page_url=page.get_full_url(request),
    )
    response = HttpResponseRedirect(page.url + page.reverse_subpage("confirmation_view"))
    response.set_signed_cookie(
        CONFIRMATION_COOKIE,
        str(case.pk),
        salt=CONFIRMATION_COOKIE,
        max_age=CONFIRMATION_MAX_AGE,
        path=page.url,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def confirmation_page(request, page):
    """The ticket number, tracking code, deadline and next steps of the case just sent."""
    pk = request.get_signed_cookie(
        CONFIRMATION_COOKIE, default=None, salt=CONFIRMATION_COOKIE, max_age=CONFIRMATION_MAX_AGE
    )
    case = None
    if pk:
        # Only what the page shows: of the grid (a page with many columns) only its title.
        case = (
            Feedback.objects.filter(pk=pk)
            .select_related("category")
            .only(
                "ticket_number",
                "tracking_code",
                "deadline",
                "contact_email",
                "contact_phone",
                "sms_opt_out",
                "category",
            )
            .annotate(grid_title=F("grid__title"))
            .first()
        )
    if case is None:
        return HttpResponseRedirect(page.url)
    response = TemplateResponse(
        request,
        "feedback/feedback_confirmation.html",
        {"page": page, "self": page, "case": case, "sms_phone": sms.masked_mobile(case)},
    )
    response["Cache-Control"] = "no-store"
    # The page links to the case by its code: a Referer carries only the origin.
    response["Referrer-Policy"] = "strict-origin"
    return response
