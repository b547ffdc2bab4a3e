"""Routes of the greeting page and of sending a survey (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import greetings, surveys

urlpatterns = [
    path("occasions/<int:pk>/greeting/", greetings.greeting, name="greeting"),
    path("followups/<int:pk>/survey/", surveys.survey_send_view, name="survey_send"),
]
