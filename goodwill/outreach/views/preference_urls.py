"""Routes of the public unsubscribe and preference pages (namespace ``outreach``): short paths,
since they end up in every marketing email."""

from django.urls import path

from goodwill.outreach.views import preferences

urlpatterns = [
    path("u/<str:token>/", preferences.unsubscribe, name="unsubscribe"),
    path("p/<str:token>/", preferences.preferences, name="preferences"),
]
