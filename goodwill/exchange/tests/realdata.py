"""Where the real contact exports live: ``../shared/realdata/contacts`` beside the checkout, or
``GOODWILL_REALDATA`` (a folder), or the team machine's ``/work/shared``. A checkout without them
fails loudly: the import tests must never pass by not running."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def realdata_contacts() -> Path:
    """The folder of real contact files."""
    candidates = [
        Path(os.environ["GOODWILL_REALDATA"]) / "contacts"
        if os.environ.get("GOODWILL_REALDATA")
        else None,
        REPO.parent / "shared" / "realdata" / "contacts",
        Path("/work/shared/realdata/contacts"),
    ]
    for folder in candidates:
        if folder is not None and folder.is_dir():
            return folder
    raise RuntimeError(
        "The real contact exports were not found: set GOODWILL_REALDATA to the realdata folder "
        f"(looked in {', '.join(str(c) for c in candidates if c)})."
    )


REALDATA = realdata_contacts()
