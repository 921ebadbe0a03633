"""Load scenarios (built-in or from a user JSONL file), filter them, write them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from study.errors import DataError, UnknownNameError
from traits._spec import Domain, Trait, load_domains, load_traits
from traits.scenario import SPLITS, Scenario, scenario_from_record
from traits.split import DEFAULT_HOLDOUT_FRACTION, assign_splits


def read_scenarios(
    path: Path | str,
    traits: Mapping[str, Trait] | None = None,
    domains: Mapping[str, Domain] | None = None,
    holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
) -> list[Scenario]:
    """Read and validate a scenario JSONL file (schema in traits/README.md).

    Rows without ``split`` get one from :func:`traits.split.assign_splits`,
    computed over the clusters of this file; an explicit ``split`` is kept,
    but one cluster may not appear in both splits.
    """
    path = Path(path)
    traits = load_traits() if traits is None else traits
    domains = load_domains() if domains is None else domains
    if not path.is_file():
        raise DataError(f"{path}: scenario file not found; pass the path of an existing JSONL file")
    scenarios: list[Scenario] = []
    fixed: dict[str, str] = {}
    where_of: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path} line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: malformed JSON ({exc.msg} at column {exc.colno}); write one JSON object per line") from None
            scenario = scenario_from_record(record, where, traits, domains)
            if scenario.id in where_of:
                raise DataError(f"{where}: duplicate id {scenario.id!r} (first at {where_of[scenario.id]}); give each scenario a unique id")
            where_of[scenario.id] = where
            if isinstance(record, dict) and "split" in record:
                if fixed.setdefault(scenario.cluster, scenario.split) != scenario.split:
                    raise DataError(f"{where}: cluster {scenario.cluster!r} is in both splits; give all its rows the same split")
            scenarios.append(scenario)
    if not scenarios:
        raise DataError(f"{path}: no scenarios found; add one JSON object per line")
    return assign_splits(scenarios, traits, holdout_fraction, fixed)


def write_scenarios(path: Path | str, scenarios: Iterable[Scenario]) -> int:
    """Write scenarios as JSONL (readable by :func:`read_scenarios`); returns the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for scenario in scenarios:
            fh.write(json.dumps(scenario.to_record(), ensure_ascii=False) + "\n")
            count += 1
    return count


def _check_names(kind: str, names: Iterable[str] | None, known: Iterable[str]) -> set[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    known = set(known)
    for name in names:
        if name not in known:
            raise UnknownNameError(kind, name, sorted(known))
    return set(names)


def load_scenarios(
    split: str | None = None,
    traits: list[str] | None = None,
    domains: list[str] | None = None,
    exclude_domains: list[str] | None = None,
    path: Path | None = None,
    *,
    seed: int = 0,
    trait_paths: Iterable[Path | str] | None = None,
    domain_paths: Iterable[Path | str] | None = None,
    holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
) -> list[Scenario]:
    """Scenarios filtered by split, trait and domain.

    Without ``path`` the built-in library is generated (deterministic for a
    given ``seed``); with ``path`` only that user JSONL file is read.
    ``trait_paths`` / ``domain_paths`` add user YAML specs (which may also
    redefine built-in ones, e.g. to change ``held_out``). ``domains`` keeps
    only those domains; ``exclude_domains`` drops some (the domain ablations).
    Unknown names raise :class:`study.errors.UnknownNameError`.
    """
    known_traits = load_traits(trait_paths)
    known_domains = load_domains(domain_paths)
    if split is not None and split not in SPLITS:
        raise UnknownNameError("split", split, SPLITS)
    keep_traits = _check_names("trait", traits, known_traits)
    keep_domains = _check_names("domain", domains, known_domains)
    drop_domains = _check_names("domain", exclude_domains, known_domains) or set()
    if path is None:
        from traits.generator import generate_scenarios

        scenarios = generate_scenarios(seed, traits=known_traits, domains=known_domains, holdout_fraction=holdout_fraction)
    else:
        scenarios = read_scenarios(path, known_traits, known_domains, holdout_fraction)
    return [
        s
        for s in scenarios
        if (split is None or s.split == split)
        and (keep_traits is None or s.trait in keep_traits)
        and (keep_domains is None or s.domain in keep_domains)
        and s.domain not in drop_domains
    ]
