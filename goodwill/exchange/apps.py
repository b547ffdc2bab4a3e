from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "goodwill.exchange"
    label = "exchange"
    verbose_name = "Import and export"

    def ready(self) -> None:
        # The daily backup joins the schedule in every process (web, worker, commands).
        import goodwill.exchange.jobs  # noqa: F401
