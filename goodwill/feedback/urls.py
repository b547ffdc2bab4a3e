"""Web routes of feedback (namespace ``feedback``): the "heard at the counter" form and the
manager's inbox and survey scores, and the public survey page."""

from django.urls import path

from goodwill.feedback.views import followups, heard, inbox, scores, survey

app_name = "feedback"
urlpatterns = [
    path("heard/", heard.heard, name="heard"),
    path("feedback/", inbox.inbox, name="inbox"),
    path("feedback/<int:pk>/", inbox.feedback_detail, name="feedback_detail"),
    path(
        "feedback/<int:pk>/acknowledge/",
        inbox.feedback_acknowledge_view,
        name="feedback_acknowledge",
    ),
    path("feedback/<int:pk>/act/", inbox.feedback_act_view, name="feedback_act"),
    path("feedback/scores/", scores.scores, name="scores"),
    path("s/<str:token>/", survey.survey, name="survey"),
    path("followups/", followups.followups, name="followups"),
    path("followups/<int:pk>/asked/", followups.followup_asked, name="followup_asked"),
]
