from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "goodwill.timeline"
    label = "timeline"
    verbose_name = "Timeline"
