"""Web routes of exchange: exports (imports follow)."""

from django.urls import include, path

app_name = "exchange"
urlpatterns = [
    path("", include("goodwill.exchange.views.export_urls")),
]
