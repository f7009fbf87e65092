"""Writing output files atomically: the one write path for reports, eval figures and tuned
settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8, line ends as given) through a temp file in the same folder, then
    rename it over ``path``: a reader never sees a half-written file, and a failure or
    interruption leaves the old file in place and no temp file behind. Creates the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        # errors="replace": a lone surrogate, if one ever got this far, cannot stop the write.
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; output is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
