from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as documents_serve

from . import views


class _ToAllauth(RedirectView):
    """Wagtail's own login and password forms would bypass MFA: send them to allauth."""

    permanent = False
    query_string = True


# Wagtail's document serve view: its before_serve_document hook (portal.files) decides who may
# fetch a file; "private, no-cache" keeps shared caches from holding a copy past an unpublish.
documents_urls = [
    re_path(
        r"^(\d+)/(.*)$",
        cache_control(private=True, no_cache=True)(documents_serve.serve),
        name="wagtaildocs_serve",
    ),
    *[p for p in wagtaildocs_urls.urlpatterns if p.name != "wagtaildocs_serve"],
]

urlpatterns = [
    path("admin/login/", _ToAllauth.as_view(pattern_name="account_login")),
    path("admin/password_reset/", _ToAllauth.as_view(pattern_name="account_reset_password")),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(documents_urls)),
    path("lang/<str:code>/", views.switch_language, name="switch_language"),
    path("care-mode/", views.switch_care_mode, name="switch_care_mode"),
    path("healthz/", views.health, name="health"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include("grids.urls")),
    path("", include("notices.urls")),
    path("", include("feedback.public.urls")),
    path("", include("feedback.open311.urls")),
    path("", include("fieldwork.urls")),
    path("", include("home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
