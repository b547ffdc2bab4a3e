"""Writing an export to a file the command line names (``--output``): owner-only (0600) from its
first byte, written beside the target and published when complete, so a failed export never
leaves half a file; an existing file is refused unless the caller asks to replace it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.exchange.services.export import ExportFile


def output_check(path: Path, *, overwrite: bool = False) -> None:
    """Refuse ``path`` before anything is exported (or audited): its folder is missing, or the
    file exists and ``overwrite`` was not asked for."""
    if not path.parent.is_dir():
        raise Invalid.field("output", _("No such folder: %(path)s") % {"path": path.parent})
    if not overwrite and (path.exists() or path.is_symlink()):
        raise _exists(path)


def _exists(path: Path) -> Invalid:
    message = _("%(path)s already exists; it was not overwritten (--overwrite replaces it).")
    return Invalid.field("output", message % {"path": path})


def export_file_write(export: ExportFile, path: Path, *, overwrite: bool = False) -> None:
    """Write ``export`` to ``path``: into a private temporary file in its folder, then renamed
    over it (``overwrite``) or linked to its name, which fails if a file took the name since
    ``output_check``: nothing already there is replaced unasked."""
    output_check(path, overwrite=overwrite)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for piece in export.pieces:
                out.write(piece)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError as exc:
                raise _exists(path) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
