"""Routes of the Today page and the occasion pages (namespace ``occasions``)."""

from django.urls import path

from goodwill.occasions.views import occasions, today

urlpatterns = [
    path("today/", today.today, name="today"),
    path(
        "occasions/add/person/<int:pk>/",
        occasions.occasion_add,
        {"owner": "person"},
        name="occasion_add_person",
    ),
    path(
        "occasions/add/relationship/<int:pk>/",
        occasions.occasion_add,
        {"owner": "relationship"},
        name="occasion_add_relationship",
    ),
    path(
        "occasions/add/household/<int:pk>/",
        occasions.occasion_add,
        {"owner": "household"},
        name="occasion_add_household",
    ),
    path("occasions/<int:pk>/", occasions.occasion_detail, name="occasion_detail"),
    path("occasions/<int:pk>/edit/", occasions.occasion_edit, name="occasion_edit"),
    path("occasions/<int:pk>/delete/", occasions.occasion_delete_view, name="occasion_delete"),
    path("occasions/<int:pk>/touches/", occasions.occasion_touch_add, name="occasion_touch_add"),
    path(
        "occasions/<int:pk>/touches/<int:touch_id>/outcome/",
        occasions.touch_outcome,
        name="touch_outcome",
    ),
    path("occasions/<int:pk>/call/", today.occasion_call, name="occasion_call"),
    path("occasions/<int:pk>/done/", today.occasion_done, name="occasion_done"),
    path("occasions/<int:pk>/undo/", today.occasion_undone, name="occasion_undone"),
]
