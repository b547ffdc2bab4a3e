"""Routes of the right of access and erasure, under the person's own address."""

from django.urls import URLPattern, path

from goodwill.exchange.views import access

urlpatterns: list[URLPattern] = [
    path("people/<int:pk>/data/", access.person_access, name="person_access"),
    path("people/<int:pk>/erase/", access.person_erase_view, name="person_erase"),
]
