"""Routes of the offer pages (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import offers

urlpatterns = [
    path("offers/", offers.offer_list_view, name="offer_list"),
    path("offers/new/", offers.offer_create_view, name="offer_create"),
    path("offers/<int:pk>/", offers.offer_detail_view, name="offer_detail"),
    path("offers/<int:pk>/edit/", offers.offer_edit_view, name="offer_edit"),
    path("offers/<int:pk>/archive/", offers.offer_archive_view, name="offer_archive"),
]
