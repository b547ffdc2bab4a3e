"""Routes of one-to-one email (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import direct

urlpatterns = [
    path("people/<int:pk>/email/", direct.direct_email, name="direct_email"),
]
