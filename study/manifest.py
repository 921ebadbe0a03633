"""Provenance for a run: config hash, package versions, git commit and dirty flag."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("alignment-study", "torch", "transformers", "trl", "peft", "accelerate", "datasets", "numpy", "scipy",
            "statsmodels", "pandas", "seaborn", "sentence-transformers", "openai", "anthropic")


def config_hash(config: dict) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_state(repo: Path | None = None) -> dict:
    repo = repo or Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip())
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def provenance(config: dict) -> dict:
    return {
        "config": config, "config_hash": config_hash(config), "packages": package_versions(), "git": git_state(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "platform": platform.platform(),
    }
