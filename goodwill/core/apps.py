from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goodwill.core"
    label = "core"
    verbose_name = "Core"
