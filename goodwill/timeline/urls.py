"""Timeline pages: quick log, a person's timeline pages, correcting and removing."""

from django.urls import path

from goodwill.timeline import views

app_name = "timeline"
urlpatterns = [
    path("people/<int:person_id>/", views.person_timeline, name="person_timeline"),
    path("people/<int:person_id>/log/", views.interaction_log, name="interaction_log"),
    path("<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("<int:pk>/delete/", views.interaction_delete, name="interaction_delete"),
]
