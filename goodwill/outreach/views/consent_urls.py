"""Routes of the consent ledger's pages (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import consent

urlpatterns = [
    path("people/<int:pk>/consents/", consent.consent_add, name="consent_add"),
]
