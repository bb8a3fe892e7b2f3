"""The site search page: every public page type, a type filter, highlighted snippets."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.search.backend import IndexUnavailable
from portal.search.backend.documents import searchable_text
from portal.search.highlight import mark, snippet
from portal.search.visibility import public_search_queryset, searchable_page_models

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100
# The grid lookup page (grids app); linked as a next step when a search finds nothing.
GRID_LOOKUP_URL = reverse_lazy("grids:lookup")


def _type_key(model):
    return model._meta.label_lower


def _result_date(page):
    value = getattr(page, "search_result_date", None)
    return value or page.last_published_at or page.first_published_at


def _facet_counts(results):
    """{content type id: hits} when the backend can count per type, else None."""
    if not getattr(results, "supports_facet", False):
        return None
    try:
        return results.facet("content_type")
    except Exception:
        logger.exception("search facet failed")
        return None


def _run(query, model, operator, site):
    results = public_search_queryset(model, site).search(query, operator=operator)
    return results, results.count()


def search(request):
    """Search every live public page; filter by type; mark the query words in each snippet."""
    raw_query = request.GET.get("q", "")
    query = " ".join(raw_query.split())[:MAX_QUERY_LENGTH]
    notices = []
    if len(" ".join(raw_query.split())) > MAX_QUERY_LENGTH:
        notices.append(
            _("搜索词过长，只按前 %(n)d 个字搜索。") % {"n": MAX_QUERY_LENGTH},
        )

    models = {_type_key(model): model for model in searchable_page_models()}
    type_key = request.GET.get("type", "")
    selected = models.get(type_key)
    if type_key and selected is None:
        notices.append(_("没有这种内容类型，已显示全部类型的结果。"))

    context = {
        "query": query,
        "notices": notices,
        "selected_type": _type_key(selected) if selected else "",
        "types": [],
        "results": None,
        "items": [],
        "count": 0,
        "relaxed": False,
        "approximate": False,
        "unavailable": False,
        "grid_lookup_url": GRID_LOOKUP_URL,
    }
    if not query:
        return render(request, "home/search.html", context)

    site = Site.find_for_request(request)
    try:
        operator = "and"
        results, count = _run(query, selected, operator, site)
        if count == 0:
            # Nothing has every word: show what has some of them, and say so.
            operator = "or"
            results, count = _run(query, selected, operator, site)
            context["relaxed"] = count > 0
        every_type = results if selected is None else _run(query, None, operator, site)[0]
        context["count_all"] = every_type.count()
        context["approximate"] = getattr(results, "count_is_estimate", False)
        # Counting hits per type walks every hit: only for result sets counted exactly.
        counts = (
            None if getattr(every_type, "count_is_estimate", False) else _facet_counts(every_type)
        )
        page_number = request.GET.get("page", 1)
        paginator = Paginator(results, RESULTS_PER_PAGE)
        try:
            page = paginator.page(page_number)
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        words = results.highlight_words() if hasattr(results, "highlight_words") else None
        items = [
            {
                "page": result,
                "url": result.get_url(request),
                "title": mark(result.title, words=words, query=query),
                "type": result._meta.verbose_name,
                "date": _result_date(result),
                "snippet": snippet(
                    result.search_description or searchable_text(result),
                    words=words,
                    query=query,
                ),
            }
            for result in page.object_list
        ]
    except IndexUnavailable:
        logger.exception("the search index is unavailable")
        context["unavailable"] = True
        return render(request, "home/search.html", context)

    context.update(
        results=page,
        items=items,
        count=count,
        types=_type_choices(models, counts, selected),
    )
    return render(request, "home/search.html", context)


def _type_choices(models, counts, selected):
    """The type filter: each page type with hits (or every type, when counts are unknown)."""
    choices = []
    content_types = ContentType.objects.get_for_models(*models.values())
    for key, model in sorted(models.items(), key=lambda item: str(item[1]._meta.verbose_name)):
        hits = None if counts is None else counts.get(content_types[model].pk, 0)
        if hits == 0 and model is not selected:
            continue
        choices.append(
            {
                "key": key,
                "name": model._meta.verbose_name,
                "count": hits,
                "current": model is selected,
            }
        )
    return choices
