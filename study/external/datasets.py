"""Turn archive members into benchmark items: parse, build, check, subsample.

Malformed-row policy: a row that fails to parse, or that a builder rejects
(missing field, answer not among the options, empty prompt), is skipped and
counted. The count is logged (never the row text: some sources are harmful).
If no row survives, or more than ``MAX_MALFORMED_FRACTION`` of the rows are
malformed, loading fails with :class:`~study.errors.DataError`, because the
archive is then not the layout the builder was written for.

Subsampling: sources larger than ``cap`` keep a fixed subset chosen by
ranking items on sha256(seed, item id). The subset depends only on the seed
and the ids (not on row order, Python version or a global RNG), and the kept
items stay in source order.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from study.errors import DataError
from study.external.archive import read_member, resolve_members
from study.external.formats import FORMATS, Malformed, parse
from study.external.sources import get_source
from study.types import Item

log = logging.getLogger(__name__)

MAX_MALFORMED_FRACTION = 0.10

Builder = Callable[[Any, str], Item]


class RowError(ValueError):
    """A builder cannot make an item from a row."""


@dataclass(frozen=True)
class ExternalDataset:
    """Where a benchmark's rows live and how each row becomes an :class:`Item`.

    ``member`` is an archive path or a glob over archive paths. ``build`` gets
    the row and a default id (``<member stem>-<row index>``). ``keep`` selects
    rows before building (e.g. only ambiguous BBQ contexts).
    """

    source: str
    member: str
    fmt: str
    build: Builder
    licence: str
    cap: int | None = 200
    seed: int = 0
    keep: Callable[[Any], bool] | None = None

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(f"dataset {self.member!r}: format {self.fmt!r} not in {FORMATS}")
        if self.cap is not None and self.cap < 1:
            raise ValueError(f"dataset {self.member!r}: cap must be positive, got {self.cap}")

    @property
    def source_ref(self) -> str:
        return f"{get_source(self.source).pin}:{self.member}"


def _stem(member: str) -> str:
    name = member.rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


def build_items(ds: ExternalDataset, cache: Path | str | None = None) -> tuple[list[Item], int]:
    """All items of ``ds`` (before the cap) and the number of malformed rows skipped."""
    items: list[Item] = []
    total = malformed = 0
    for member in resolve_members(ds.source, ds.member, cache):
        where = f"{get_source(ds.source).filename}:{member}"
        for index, row in enumerate(parse(ds.fmt, read_member(ds.source, member, cache), where)):
            total += 1
            try:
                if isinstance(row, Malformed):
                    raise RowError(row.reason)
                if ds.keep is not None and not ds.keep(row):
                    total -= 1
                    continue
                items.append(ds.build(row, f"{_stem(member)}-{index:04d}"))
            except (RowError, KeyError, IndexError, TypeError, ValueError, AttributeError):
                malformed += 1
    where = ds.source_ref
    if not items:
        raise DataError(f"{where}: no usable rows ({malformed} malformed); the archive is not the pinned layout")
    if malformed > MAX_MALFORMED_FRACTION * total:
        raise DataError(
            f"{where}: {malformed} of {total} rows malformed (limit {MAX_MALFORMED_FRACTION:.0%}); "
            f"the archive is not the pinned layout: delete it and run `study data fetch {ds.source}`"
        )
    if malformed:
        log.warning("%s: skipped %d malformed row(s) of %d", where, malformed, total)
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise DataError(f"{where}: duplicate item id {dup!r}; make the builder's ids unique")
    return items, malformed


def subsample(items: list[Item], cap: int | None, seed: int) -> list[Item]:
    """A fixed subset of at most ``cap`` items (see module docstring), in source order."""
    if cap is None or len(items) <= cap:
        return list(items)

    def rank(item: Item) -> str:
        return hashlib.sha256(f"{seed}\0{item.id}".encode()).hexdigest()

    chosen = {item.id for item in sorted(items, key=rank)[:cap]}
    return [item for item in items if item.id in chosen]


def load_dataset(ds: ExternalDataset, cache: Path | str | None = None) -> list[Item]:
    items, _ = build_items(ds, cache)
    return subsample(items, ds.cap, ds.seed)
