"""Web routes of exchange: imports, exports, merges and a person's data."""

from django.urls import include, path

app_name = "exchange"
urlpatterns = [
    path("", include("goodwill.exchange.views.import_urls")),
    path("", include("goodwill.exchange.views.export_urls")),
    path("", include("goodwill.exchange.views.merge_urls")),
    path("", include("goodwill.exchange.views.access_urls")),
]
