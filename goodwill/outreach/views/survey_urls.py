"""Route of sending a survey about a purchase (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import surveys

urlpatterns = [
    path("followups/<int:pk>/survey/", surveys.survey_send_view, name="survey_send"),
]
