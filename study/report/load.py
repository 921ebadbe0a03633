"""What the report is built from: the stored statistics, the manifest and the ledgers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from study.errors import StudyError


class ReportInputError(StudyError):
    """The run directory lacks what the report needs."""


@dataclass
class ReportData:
    run_dir: Path
    manifest: dict
    ledgers: dict[str, dict]
    tables: dict[str, pd.DataFrame]
    settings: dict

    def t(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    @property
    def contrasts(self) -> list[tuple[str, str]]:
        c = self.t("contrasts")
        pairs = [tuple(p) for p in self.manifest.get("contrasts", [])]
        if not pairs and not c.empty:
            pairs = list(dict.fromkeys(zip(c["arm_a"], c["arm_b"])))
        return list(dict.fromkeys((str(a), str(b)) for a, b in pairs))  # manifests may repeat a hypothesis' contrast

    @property
    def headline(self) -> tuple[str, str] | None:
        return self.contrasts[0] if self.contrasts else None

    @property
    def arms(self) -> list[str]:
        declared = [a["name"] for a in self.manifest.get("arms", [])]
        seen = sorted(set(self.t("summary").get("arm", [])))
        return [a for a in declared if a in seen] + [a for a in seen if a not in declared]


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def load_report_data(run_dir: Path) -> ReportData:
    run_dir = Path(run_dir)
    stats_dir = run_dir / "stats"
    if not (stats_dir / "contrasts.csv").exists():
        raise ReportInputError(f"{stats_dir}: statistics missing; run the analysis first (study.stats.analyse / `study analyse {run_dir}`)")
    from study.manifest import Manifest

    try:
        manifest = Manifest.load(run_dir / "manifest.json").model_dump(mode="json")  # validated against the typed model
    except StudyError as e:
        raise ReportInputError(str(e)) from None
    ledgers = {}
    for p in sorted((run_dir / "ledgers").glob("*.json")):
        try:
            ledgers[p.stem] = json.loads(p.read_text())
        except json.JSONDecodeError as e:
            raise ReportInputError(f"{p}: invalid JSON at line {e.lineno}: {e.msg}") from None
    # every table a registered statistic wrote (TABLES are the built-in ones)
    tables = {p.stem: _read_csv(p) for p in sorted(stats_dir.glob("*.csv")) if p.stem != "settings"}
    settings_path = stats_dir / "settings.csv"
    settings = dict(pd.read_csv(settings_path, dtype=str).itertuples(index=False)) if settings_path.exists() else {}
    return ReportData(run_dir, manifest, ledgers, tables, settings)
