"""The public pages of alerts: subscribe, confirm, manage (the list of one subscriber's
subscriptions), unsubscribe (one click, RFC 8058), and asking for the manage link again.

No account: each page is reached by a signed link from an e-mail (notices.alerts.tokens). GET
only shows a page with a button, so a mail scanner that follows links confirms or ends nothing;
the button (or the mail program's one-click POST) does it."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..enums import AlertChannel
from ..models import AlertSubscriber, AlertSubscription
from . import tokens
from .forms import ManageLinkForm, SubscribeForm
from .ratelimit import over_limit
from .sending import manage_url, send_confirmation, send_manage_link

LIMITED = gettext_lazy("这个邮箱或网络一小时内的请求已达上限，请稍后再试。")


def _same_subscription(subscriber, data):
    return subscriber.subscriptions.filter(
        scope=data["scope"],
        notices="notices" in data["kinds"],
        urgent="urgent" in data["kinds"],
        publicity="publicity" in data["kinds"],
        category=data["category"],
        frequency=data["frequency"],
    ).first()


def request_subscription(data):
    """Save an unconfirmed subscription (or find the same one) and send its confirmation; a
    subscription already confirmed gets the manage link instead. The visitor is told the same
    in every case, so the form reveals nothing about who subscribes."""
    with transaction.atomic():
        subscriber, _created = AlertSubscriber.objects.get_or_create(
            channel=AlertChannel.EMAIL, address=data["email"]
        )
        subscription = _same_subscription(subscriber, data)
        if subscription is None:
            subscription = AlertSubscription.objects.create(
                subscriber=subscriber,
                scope=data["scope"],
                notices="notices" in data["kinds"],
                urgent="urgent" in data["kinds"],
                publicity="publicity" in data["kinds"],
                category=data["category"],
                frequency=data["frequency"],
            )
        if subscription.confirmed:
            send_manage_link(subscriber)
        else:
            send_confirmation(subscription)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The subscribe form; `?scope=<grid or area code>` chooses the scope in advance."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            if over_limit(request, form.cleaned_data["email"]):
                context = {"form": form, "error": LIMITED}
                return render(request, "notices/alerts/subscribe.html", context, status=429)
            request_subscription(form.cleaned_data)
            return render(
                request, "notices/alerts/requested.html", {"email": form.cleaned_data["email"]}
            )
        return render(request, "notices/alerts/subscribe.html", {"form": form}, status=400)
    initial = {}
    scope = request.GET.get("scope")
    if scope:
        initial["scope"] = scope if isinstance(scope, str) and len(scope) <= 40 else ""
    form = SubscribeForm(initial=initial)
    if initial.get("scope") not in dict(form.fields["scope"].choices):
        form.initial.pop("scope", None)
    return render(request, "notices/alerts/subscribe.html", {"form": form})


def _subscription(kind, token):
    found = tokens.read(kind, token)
    if found is None:
        raise Http404(_("这个链接无效或已过期。"))
    subscription = (
        AlertSubscription.objects.select_related("subscriber", "scope", "category")
        .filter(pk=found[0])
        .first()
    )
    if subscription is None or not tokens.matches(subscription.subscriber.address, found[1]):
        raise Http404(_("这个订阅已经不存在。"))
    return subscription


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    subscription = _subscription("confirm", token)
    done = False
    if request.method == "POST":
        if not subscription.confirmed:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
        done = True
    return render(
        request,
        "notices/alerts/confirm.html",
        {
            "subscription": subscription,
            "done": done or subscription.confirmed,
            "manage_url": manage_url(subscription.subscriber),
        },
    )


@never_cache
@csrf_exempt  # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" with no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    found = tokens.read("unsubscribe", token)
    if found is None:
        raise Http404(_("这个链接无效或已过期。"))
    subscription = (
        AlertSubscription.objects.select_related("subscriber", "scope").filter(pk=found[0]).first()
    )
    if subscription is not None and not tokens.matches(subscription.subscriber.address, found[1]):
        subscription = None
    if request.method == "POST":
        # Ending what is already ended is not an error: the answer is the same.
        if subscription is not None:
            subscription.delete()
        return render(request, "notices/alerts/unsubscribe.html", {"done": True})
    return render(
        request,
        "notices/alerts/unsubscribe.html",
        {"subscription": subscription, "done": subscription is None},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """One subscriber's subscriptions, and only theirs; each can be ended here."""
    found = tokens.read("manage", token)
    subscriber = AlertSubscriber.objects.filter(pk=found[0]).first() if found else None
    if subscriber is None or not tokens.matches(subscriber.address, found[1]):
        raise Http404(_("这个链接无效，或这个邮箱已经没有订阅。"))
    message = ""
    if request.method == "POST":
        if request.POST.get("remove") == "all":
            subscriber.subscriptions.all().delete()
            message = _("已退订全部订阅。")
        else:
            from portal.parsing import parse_id

            pk = parse_id(request.POST.get("remove", ""))
            removed, _kinds = subscriber.subscriptions.filter(pk=pk).delete() if pk else (0, {})
            message = _("已退订。") if removed else _("没有这个订阅。")
    subscriptions = subscriber.subscriptions.select_related("scope", "category")
    return render(
        request,
        "notices/alerts/manage.html",
        {"subscriber": subscriber, "subscriptions": subscriptions, "message": message},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_link(request):
    """Ask for the manage link again; it goes only to an address with a confirmed
    subscription, and the visitor is told the same either way."""
    form = ManageLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if over_limit(request, email):
            context = {"form": form, "error": LIMITED}
            return render(request, "notices/alerts/manage_link.html", context, status=429)
        subscriber = AlertSubscriber.objects.filter(
            channel=AlertChannel.EMAIL, address=email
        ).first()
        if subscriber is not None:
            send_manage_link(subscriber)
        return render(request, "notices/alerts/requested.html", {"email": email, "link": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "notices/alerts/manage_link.html", {"form": form}, status=status)
