"""Shared base models and infrastructure tables (no domain rules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimeStamped(models.Model):
    """Abstract base: creation and last-change times, stored in UTC."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotentResponse(models.Model):
    """The first response to a POST sent with an ``Idempotency-Key``; replayed for repeats.

    ``request_hash`` is the SHA-256 of the request body that got it: a repeat with another body is
    refused, not replayed. Rows stored before it existed have it empty and are not checked.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64, blank=True, default="")
    status = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
