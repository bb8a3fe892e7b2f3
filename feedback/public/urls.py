"""Public URLs of case handling: tracking, rating, the grid survey and the statistics."""

from django.urls import path

from . import mobile_lookup, stats_views, tracking

urlpatterns = [
    path("feedback/track/", tracking.tracking_page, name="feedback_track"),
    path("feedback/track/mobile/", mobile_lookup.mobile_lookup, name="feedback_track_mobile"),
    path("feedback/track/<str:code>/", tracking.tracking_case, name="feedback_track_case"),
    path("feedback/track/<str:code>/rate/", tracking.rate_case, name="feedback_rate"),
    path("feedback/survey/<id:grid_id>/", tracking.grid_survey, name="feedback_grid_survey"),
    path("statistics/", stats_views.statistics_page, name="feedback_statistics"),
]
