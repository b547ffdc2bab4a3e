"""Every write of the commerce app."""

from goodwill.commerce.services.journey import journey_note_score, journey_refresh
from goodwill.commerce.services.journey_all import journey_recompute_all
from goodwill.commerce.services.loyalty import loyalty_key, loyalty_number_set
from goodwill.commerce.services.purchases import purchase_delete, purchase_log
from goodwill.commerce.services.settings import commerce_settings_update

__all__ = [
    "commerce_settings_update",
    "journey_note_score",
    "journey_recompute_all",
    "journey_refresh",
    "loyalty_key",
    "loyalty_number_set",
    "purchase_delete",
    "purchase_log",
]
