"""Routes of merges: the merge screen of a person."""

from django.urls import URLPattern, path

from goodwill.exchange.views import merge

urlpatterns: list[URLPattern] = [
    path("people/<int:pk>/merge/", merge.person_merge_view, name="person_merge"),
]
