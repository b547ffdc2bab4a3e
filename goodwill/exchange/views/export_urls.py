"""Routes of exports: the export page and the files it streams."""

from django.urls import URLPattern, path, re_path

from goodwill.exchange.views import export

urlpatterns: list[URLPattern] = [
    path("exports/", export.export_page, name="export"),
    re_path(r"^exports/people\.(?P<ext>csv|vcf|json)$", export.export_people, name="export_people"),
    path("exports/feedback.csv", export.export_feedback, name="export_feedback"),
]
