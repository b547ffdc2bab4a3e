"""Delivery channels: how an outbox row leaves the building (email first)."""
