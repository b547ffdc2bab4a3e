"""Web routes of outreach: the status page, /healthz and greetings."""

from django.urls import include, path

app_name = "outreach"
urlpatterns = [
    path("", include("goodwill.outreach.views.status_urls")),
    path("", include("goodwill.outreach.views.greeting_urls")),
]
