"""Root URLs: web pages per app, the REST API under /api/v1/ and its docs at /api/docs."""

from django.urls import include, path

from goodwill.api import api, api_docs

urlpatterns = [
    path("", include("goodwill.accounts.urls")),
    path("people/", include("goodwill.people.urls")),
    path("timeline/", include("goodwill.timeline.urls")),
    path("", include("goodwill.occasions.urls")),
    path("", include("goodwill.commerce.urls")),
    path("", include("goodwill.feedback.urls")),
    path("", include("goodwill.outreach.urls")),
    path("", include("goodwill.exchange.urls")),
    path("api/v1/", api.urls),
    path("api/docs", api_docs, name="api_docs"),
    path("", include("goodwill.core.urls")),
]
