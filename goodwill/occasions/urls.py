"""Web routes of occasions: the Today agenda and occasion pages, settings and the calendar feed."""

from django.urls import include, path

app_name = "occasions"
urlpatterns = [
    path("", include("goodwill.occasions.views.web_urls")),
    path("", include("goodwill.occasions.views.feed_urls")),
]
