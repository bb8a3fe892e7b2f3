"""The portal's URLs with the grids app mounted under /elsewhere/ first: a link built from the
URL name follows it, a link written out as a string does not."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("elsewhere/", include("grids.urls")), *portal_urlpatterns]
