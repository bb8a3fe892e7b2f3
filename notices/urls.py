"""Public URLs of the notices app: alerts by area (docs/alerts.md)."""

from django.urls import path

from .alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/manage/", views.manage_link, name="manage_link"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
