"""Where the toolkit keeps downloaded archives, converted models and caches."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "ALIGNMENT_STUDY_CACHE"


def cache_dir() -> Path:
    """Root cache directory; ``$ALIGNMENT_STUDY_CACHE`` or ``~/.cache/alignment-study``."""
    root = os.environ.get(CACHE_ENV)
    path = Path(root).expanduser() if root else Path.home() / ".cache" / "alignment-study"
    path.mkdir(parents=True, exist_ok=True)
    return path
