"""Public pages of fieldwork: the results of a review campaign that its community made public."""

from django.http import Http404
from django.shortcuts import render

from .models import ReviewCampaign
from .review_results import page_context


def public_campaigns():
    return ReviewCampaign.objects.filter(is_public=True).select_related("community")


def review_index(request):
    """The public review campaigns, newest first."""
    return render(request, "fieldwork/review_index.html", {"campaigns": public_campaigns()})


def review_results(request, pk):
    """Scores by aspect and pair, and the improvement actions; no reviewer is named."""
    campaign = public_campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return render(request, "fieldwork/review_results.html", page_context(campaign))
