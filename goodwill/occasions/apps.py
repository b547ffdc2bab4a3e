from django.apps import AppConfig


class OccasionsConfig(AppConfig):
    name = "goodwill.occasions"
    label = "occasions"
    verbose_name = "Occasions"
