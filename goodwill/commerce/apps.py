from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "goodwill.commerce"
    label = "commerce"
    verbose_name = "Commerce"

    def ready(self) -> None:
        from goodwill.commerce.filters import register_stage_filter

        register_stage_filter()
