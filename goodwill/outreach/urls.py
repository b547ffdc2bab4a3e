"""Web routes of outreach: the status page, /healthz, greetings and sending surveys."""

from django.urls import include, path

app_name = "outreach"
urlpatterns = [
    path("", include("goodwill.outreach.views.status_urls")),
    path("", include("goodwill.outreach.views.greeting_urls")),
    path("", include("goodwill.outreach.views.survey_urls")),
]
