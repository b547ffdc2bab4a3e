"""Web-only routes of core: the home page sends people to the Today agenda."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "core"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="occasions:today"), name="home"),
]
