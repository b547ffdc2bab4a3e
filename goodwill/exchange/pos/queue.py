"""What the import queue needs to know about a purchases file: that it can be read as one
(checked at upload and again with the confirmed mapping) and its checked options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.exchange.parse import ImportFileError, open_import
from goodwill.exchange.pos.reader import pos_mapping, read_header


def pos_probe(path: Path, *, name: str, mapping: dict[str, str] | None) -> str:
    """Check that ``path`` is a CSV file whose columns say when and who (with ``mapping``
    applied); ImportFileError naming the file as the user knows it. Returns "csv"."""
    try:
        file = open_import(path)
        if file.format != "csv":
            raise ImportFileError(
                _("%(name)s: a point-of-sale import reads CSV files, not vCard.") % {"name": name}
            )
        with file.open_text() as stream:
            header, reader = read_header(stream)
            line = reader.line_num
        pos_mapping(name, header, mapping or {}, line)
    except ImportFileError as exc:
        raise ImportFileError(exc.message.replace(path.name, name)) from exc
    return "csv"


def pos_options(path: Path, *, name: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options a purchases import keeps: the mapping (checked against the file now, an
    unknown column or field refused on ``map``), ``day_first`` and ``create_people``."""
    mapping = {str(k): str(v) for k, v in (options.get("mapping") or {}).items()}
    try:
        pos_probe(path, name=name, mapping=mapping)
    except ImportFileError as exc:
        raise Invalid.field("map", exc.message) from exc
    return {
        "mapping": mapping,
        "day_first": bool(options.get("day_first")),
        "create_people": bool(options.get("create_people")),
    }
