"""People pages: list and search, the person page and its facts, tags, organisations, households."""

from django.urls import path

from goodwill.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("<int:pk>/restore/", views.person_restore, name="person_restore"),
    path("<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("<int:pk>/login/", views.person_link_user, name="person_link_user"),
    path("<int:pk>/interests/add/", views.person_interest_add, name="person_interest_add"),
    path(
        "<int:pk>/interests/<int:pi_id>/remove/",
        views.person_interest_remove,
        name="person_interest_remove",
    ),
    path("<int:pk>/tags/add/", views.person_tag_add, name="person_tag_add"),
    path("<int:pk>/tags/<int:tag_id>/remove/", views.person_tag_remove, name="person_tag_remove"),
    path("<int:pk>/relationships/add/", views.relationship_add, name="relationship_add"),
    path(
        "<int:pk>/relationships/<int:rel_id>/edit/",
        views.relationship_edit,
        name="relationship_edit",
    ),
    path(
        "<int:pk>/relationships/<int:rel_id>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    path("<int:pk>/organisations/add/", views.membership_add, name="membership_add"),
    path(
        "<int:pk>/organisations/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/archive/",
        views.organisation_archive,
        name="organisation_archive",
    ),
    path(
        "organisations/<int:pk>/restore/",
        views.organisation_restore,
        name="organisation_restore",
    ),
    path("organisations/<int:pk>/delete/", views.organisation_delete, name="organisation_delete"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<int:pk>/edit/", views.tag_edit, name="tag_edit"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/delete/", views.household_delete, name="household_delete"),
    path(
        "households/<int:pk>/members/add/", views.household_member_add, name="household_member_add"
    ),
    path(
        "households/<int:pk>/members/<int:person_id>/remove/",
        views.household_member_remove,
        name="household_member_remove",
    ),
]
