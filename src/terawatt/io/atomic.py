"""Files written atomically: a temporary name in the same folder, then one rename.

A reader sees the old file or the whole new one, never a part; two writers of the same file
(a task re-run after a lost worker) never share a temporary name; on any error or Ctrl-C the
temporary file is removed. Temporary names match ``.*.tmp``.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, fsync: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path``; ``fsync`` flushes it to the
    disk before the rename (so a crash cannot leave an empty file under the final name)."""
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
