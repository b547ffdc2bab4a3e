"""Web-only routes of core: the home page sends people to the people list."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "core"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="people:person_list"), name="home"),
]
