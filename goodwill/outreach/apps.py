from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "goodwill.outreach"
    label = "outreach"
    verbose_name = "Outreach"
