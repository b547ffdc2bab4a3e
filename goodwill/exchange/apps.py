from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "goodwill.exchange"
    label = "exchange"
    verbose_name = "Import and export"
