"""Web routes of outreach: the status page, /healthz, greetings, sending surveys and consent."""

from django.urls import include, path

app_name = "outreach"
urlpatterns = [
    path("", include("goodwill.outreach.views.status_urls")),
    path("", include("goodwill.outreach.views.greeting_urls")),
    path("", include("goodwill.outreach.views.survey_urls")),
    path("", include("goodwill.outreach.views.consent_urls")),
    path("", include("goodwill.outreach.views.offer_urls")),
    path("", include("goodwill.outreach.views.touch_urls")),
    path("", include("goodwill.outreach.views.direct_urls")),
    path("", include("goodwill.outreach.views.preference_urls")),
    path("", include("goodwill.outreach.views.campaign_urls")),
]
