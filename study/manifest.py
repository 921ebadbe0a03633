"""The run manifest: provenance (config hash, package versions, git commit and dirty flag) and the typed record
of what ran (:class:`Manifest`)."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


# ----- the typed manifest -------------------------------------------------------------------------
MANIFEST_SCHEMA = 2


class ArmRecord(BaseModel):
    """One arm as it ran: the YAML it was given and the config its method resolved from it."""

    model_config = ConfigDict(extra="forbid")
    name: str
    method: str
    params: dict = Field(default_factory=dict, description="the arm's config as written in the study YAML")
    resolved: dict = Field(default_factory=dict, description="every field of the method's typed config, defaults included")
    plugin_version: str | None = Field(None, description="version of the distribution that provides the method")
    dose: float | None = None
    dose_sweep: bool = False
    judge: str | dict | None = Field(None, description="the feedback model this arm learns from (judge parity)")


class ConditionRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    kind: str
    argument: str | None = None
    polarity: str | None = None
    runs_as: str = "items"
    attacker: str | None = None


class Manifest(BaseModel):
    """``manifest.json``: what ran, with every plugin's resolved config and the versions behind it.

    Statistics and report read a run only through this model; fields added by later versions have
    defaults so older run directories stay readable.
    """

    model_config = ConfigDict(extra="allow")
    schema_version: int = 1
    config: dict = Field(default_factory=dict)
    config_hash: str | None = None
    packages: dict = Field(default_factory=dict)
    git: dict = Field(default_factory=dict)
    created: str | None = None
    platform: str | None = None
    run_id: str | None = None
    name: str | None = None
    model: str | None = None
    seeds: list[int] = Field(default_factory=list)
    budget_flops: float | None = None
    arms: list[ArmRecord] = Field(default_factory=list)
    conditions: list[ConditionRecord] = Field(default_factory=list)
    contrasts: list[list[str]] = Field(default_factory=list)
    primary_hypotheses: list[dict] = Field(default_factory=list)
    max_match_ratio: float | None = None
    evaluation: dict = Field(default_factory=dict, description="resolved evaluation settings")
    attacks: dict = Field(default_factory=dict, description="resolved attack settings")
    graders: dict = Field(default_factory=dict, description="grader name, version and threshold per use")

    def arm(self, name: str) -> ArmRecord | None:
        return next((a for a in self.arms if a.name == name), None)

    def dose_arms(self) -> dict[str, float]:
        """Arms on the dose-response curve and their dose."""
        return {a.name: float(a.dose) for a in self.arms if a.dose_sweep and a.dose is not None}

    def save(self, path: Path) -> None:
        from study.atomic import write_json

        write_json(path, self.model_dump(mode="json"))

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        from study.errors import DataError

        path = Path(path)
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise DataError(f"{path}: file missing; a run directory needs its manifest") from None
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise DataError(f"{path}: field {where}: {err['msg']}") from None


def plugin_version(group: str, name: str) -> str | None:
    """The version of the distribution that declares ``name`` in ``alignment_study.<group>``, else this toolkit's."""
    from study.plugins import plugin_entry_points

    ep = plugin_entry_points(group).get(name)
    if ep is not None and getattr(ep, "dist", None) is not None:
        return ep.dist.version
    return package_versions().get("alignment-study")
