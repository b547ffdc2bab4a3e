"""Reads of outreach: outbox and schedule health."""
