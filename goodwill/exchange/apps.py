from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "goodwill.exchange"
    label = "exchange"
    verbose_name = "Import and export"

    def ready(self) -> None:
        # The daily backup joins the schedule in every process (web, worker, commands).
        import goodwill.exchange.jobs  # noqa: F401

        # Outreach never writes to an erased person's address (outreach cannot import us).
        from goodwill.exchange.suppression import suppressed_emails
        from goodwill.outreach.suppression import register

        register(suppressed_emails)
