"""The portal's URLs with a trivial view in front, for bench/bench_pages.py."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import *  # noqa: F403
from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial), *portal_urlpatterns]
