from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_migrate


def _restore_indexes(using: str = "default", **kwargs: Any) -> None:
    """Before migrations run, build again the indexes a killed import left deferred."""
    if using == "default":
        from goodwill.exchange.importer.deferred import indexes_restore

        indexes_restore()


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
        pre_migrate.connect(_restore_indexes, sender=self)
