"""What a merge of two people would do: the fields that differ and what moves (read only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.permissions import require_role
from goodwill.exchange.services.merge import MERGE_FIELDS
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person, Relationship
from goodwill.timeline.models import Interaction


@dataclass
class FieldChoice:
    """One field of the side-by-side screen; ``conflict`` when both sides have differing values."""

    name: str
    label: str
    survivor: str
    other: str

    @property
    def conflict(self) -> bool:
        return bool(self.survivor and self.other and self.survivor != self.other)


@dataclass
class MergePreview:
    """Both people's fields and how many facts of ``other`` the merge would move."""

    survivor: Person
    other: Person
    fields: list[FieldChoice] = field(default_factory=list)
    moves: dict[str, int] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[FieldChoice]:
        return [f for f in self.fields if f.conflict]


LABELS = {f.name: f.verbose_name for f in Person._meta.fields}


def merge_preview(*, user: User | None, survivor: Person, other: Person) -> MergePreview:
    """Side-by-side fields and counts of what would move from ``other`` (managers)."""
    require_role(user, User.Role.MANAGER)
    fields = [
        FieldChoice(
            name=name,
            label=str(LABELS[name]),
            survivor=str(getattr(survivor, name)),
            other=str(getattr(other, name)),
        )
        for name in MERGE_FIELDS
    ]
    ties = Relationship.objects.filter(Q(from_person=other) | Q(to_person=other))
    moves = {
        "emails": other.emails.count(),
        "phones": other.phones.count(),
        "roles": other.roles.count(),
        "memberships": other.memberships.count(),
        "interests": other.interests.count(),
        "relationships": ties.exclude(from_person=survivor).exclude(to_person=survivor).count(),
        "occasions": Occasion.objects.filter(person=other).count(),
        "interactions": Interaction.objects.filter(person=other).count(),
        "audit_entries": AuditEntry.objects.filter(person_id=other.pk).count(),
    }
    return MergePreview(survivor=survivor, other=other, fields=fields, moves=moves)
