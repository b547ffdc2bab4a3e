"""Writes of the exchange app (the audit entry of an export)."""
