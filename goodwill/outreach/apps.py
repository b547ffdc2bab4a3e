from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "goodwill.outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        # "Stay in touch" joins the agenda (occasions cannot import us).
        from goodwill.outreach.agenda import register

        register()
