"""Public URLs of fieldwork: the two-way review results."""

from django.urls import path

from . import public

urlpatterns = [
    path("reviews/", public.review_index, name="fieldwork_review_index"),
    path("reviews/<id:pk>/", public.review_results, name="fieldwork_review_results"),
]
