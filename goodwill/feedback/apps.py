from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "goodwill.feedback"
    label = "feedback"
    verbose_name = "Feedback"
