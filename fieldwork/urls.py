"""Public URLs of fieldwork: the line's acknowledgement of a handover slip."""

from django.urls import path

from . import public

urlpatterns = [
    path("fieldwork/slips/<str:token>/", public.slip_ack, name="fieldwork_slip_ack"),
]
