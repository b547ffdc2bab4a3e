"""Routes of imports: upload, mapping and progress, cancel, the report."""

from django.urls import URLPattern, path

from goodwill.exchange.views import imports

urlpatterns: list[URLPattern] = [
    path("imports/", imports.import_new, name="import_new"),
    path("imports/purchases/", imports.pos_import_new, name="pos_import_new"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/cancel/", imports.import_cancel_view, name="import_cancel"),
    path("imports/<int:pk>/report.csv", imports.import_report, name="import_report"),
]
