"""URLs of the grids app: contact cards, QR codes, grid signs, lookup and its JSON endpoints."""

from django.urls import path

from .views import contact, lookup

app_name = "grids"

urlpatterns = [
    path("grids/lookup/", lookup.lookup_page, name="lookup"),
    path("grids/<str:code>/contact/<str:role>.vcf", contact.vcard, name="vcard"),
    path("grids/<str:code>/qr.svg", contact.qr_code, name="qr"),
    path("grids/<str:code>/sign/", contact.grid_sign, name="sign"),
    path("api/grids/lookup/", lookup.lookup_api, name="lookup_api"),
    path("api/areas/<str:code>.geojson", lookup.area_geojson, name="area_geojson"),
]
