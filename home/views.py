"""The site search page (the Chinese-aware backend is configured in settings)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Page

from notices.models import ApprovalOutcomePage

RESULTS_PER_PAGE = 10


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        # Ended publicity is gone from search at once, before the worker unpublishes it.
        ended = ApprovalOutcomePage.objects.live().ended().values_list("pk", flat=True)
        results = Page.objects.live().public().exclude(pk__in=list(ended)).specific().search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(request, "home/search.html", {"query": query, "results": page})
