"""Public URLs of fieldwork: the line's acknowledgement of a handover slip, and the two-way
review results."""

from django.urls import path

from . import public, public_reviews

urlpatterns = [
    path("fieldwork/slips/<str:token>/", public.slip_ack, name="fieldwork_slip_ack"),
    path("reviews/", public_reviews.review_index, name="fieldwork_review_index"),
    path("reviews/<id:pk>/", public_reviews.review_results, name="fieldwork_review_results"),
]
