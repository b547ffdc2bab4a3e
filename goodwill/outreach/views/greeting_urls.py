"""Routes of the greeting page (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import greetings

urlpatterns = [
    path("occasions/<int:pk>/greeting/", greetings.greeting, name="greeting"),
]
