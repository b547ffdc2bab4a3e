"""The people list filtered to one import: the people it added or changed.

The people app cannot import the exchange app; what an import wrote is read from its audit
entries instead: each chunk it wrote is one ``import.chunk`` entry on the batch naming the
people it created (``people``) and updated (``updated_people``).
"""

from __future__ import annotations

from django.db.models import Q

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.permissions import require_role

IMPORT_TARGET = "exchange.importbatch"  # ImportBatch._meta.label_lower
RUN = 8  # consecutive ids read as one range
IN_LIST = 10_000  # ids in one IN list


def imported_people_condition(*, user: User | None, import_id: int) -> Q:
    """A condition on ``Person``: added or changed by import ``import_id`` (managers and owners,
    who may see imports). Read through the audit's target index: one entry per written chunk."""
    require_role(user, User.Role.MANAGER)
    ids: set[int] = set()
    entries = AuditEntry.objects.filter(
        target_type=IMPORT_TARGET, target_id=import_id, action="import.chunk"
    ).values_list("changes", flat=True)
    for changes in entries.iterator(chunk_size=200):
        ids.update(changes.get("people") or [])
        ids.update(changes.get("updated_people") or [])
    return _ids_condition(sorted(ids))


def _ids_condition(ids: list[int]) -> Q:
    """``pk`` in ``ids`` (ascending), runs of consecutive ids as ranges: the people an import
    creates get consecutive ids, so a million of them is one range, not a million parameters."""
    singles: list[int] = []
    condition = Q(pk__in=[])
    start = 0
    for at in range(1, len(ids) + 1):
        if at < len(ids) and ids[at] == ids[at - 1] + 1:
            continue
        if at - start >= RUN:
            condition |= Q(pk__range=(ids[start], ids[at - 1]))
        else:
            singles += ids[start:at]
        start = at
    for part in range(0, len(singles), IN_LIST):
        condition |= Q(pk__in=singles[part : part + IN_LIST])
    return condition
