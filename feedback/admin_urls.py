"""Admin URLs of the staff inbox, mounted at /admin/cases/ by wagtail_hooks."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.inbox, name="feedback_admin_inbox"),
    path("new/", admin_views.file_case, name="feedback_admin_file"),
    path("export/cases.csv", admin_views.export_cases, name="feedback_admin_export_cases"),
    path(
        "export/statistics.csv",
        admin_views.export_statistics,
        name="feedback_admin_export_statistics",
    ),
    path("<id:pk>/", admin_views.case_page, name="feedback_admin_case"),
    path("<id:pk>/contact/", admin_views.show_contact, name="feedback_admin_contact"),
    path("<id:pk>/action/", admin_views.case_action, name="feedback_admin_action"),
    path("<id:pk>/photos/<id:photo_pk>/", admin_views.photo, name="feedback_admin_photo"),
]
