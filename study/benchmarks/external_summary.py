"""Print the external benchmarks with their item counts: ``python -m study.benchmarks.external_summary``.

``--markdown`` prints the docs/external-data.md tables. Harmful prompts and
jailbreak texts are never shown: their example cell reads "(harmful, not shown)".
"""

from __future__ import annotations

import argparse
from pathlib import Path

from study.external.archive import archive_path
from study.external.datasets import build_items, subsample
from study.external.jailbreaks import JAILBREAK_SOURCES, load_jailbreak_templates
from study.external.sources import SOURCES

HIDDEN = "(harmful, not shown)"


def _example(item, width: int = 70) -> str:
    if item.harmful:
        return HIDDEN
    text = " ".join(item.messages[-1]["content"].split())
    text = text.replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def benchmark_rows(cache: Path | None = None) -> list[dict]:
    from study.benchmarks.external import EXTERNAL_BENCHMARKS

    rows = []
    for bench in EXTERNAL_BENCHMARKS:
        items, skipped = build_items(bench.data, cache)
        kept = subsample(items, bench.data.cap, bench.data.seed)
        rows.append({
            "name": bench.name, "source": bench.data.source_ref, "licence": bench.data.licence, "scoring": bench.scoring,
            "category": bench.category, "domain": bench.domain, "available": len(items), "items": len(kept),
            "skipped": skipped, "harmful": bench.harmful, "example": _example(kept[0]), "measures": bench.description,
        })
    return rows


def jailbreak_rows(cache: Path | None = None) -> list[dict]:
    rows = []
    for name, spec in JAILBREAK_SOURCES.items():
        templates = load_jailbreak_templates(name, cache)
        rows.append({
            "name": name, "source": spec.source_ref, "licence": spec.licence, "templates": len(templates),
            "with_slot": sum(t.placeholder is not None for t in templates), "measures": spec.description,
        })
    return rows


def download_rows(cache: Path | None = None) -> list[dict]:
    return [
        {"name": s.name, "pin": s.pin, "file": s.filename, "mb": archive_path(s.name, cache).stat().st_size / 1e6,
         "licence": s.licence, "homepage": s.homepage}
        for s in SOURCES.values()
    ]


def print_plain(cache: Path | None) -> None:
    downloads = download_rows(cache)
    print(f"{'archive':30s} {'pin':36s} {'MB':>6s}  licence")
    for d in downloads:
        print(f"{d['name']:30s} {d['pin']:36s} {d['mb']:6.1f}  {d['licence']}")
    print(f"total download: {sum(d['mb'] for d in downloads):.1f} MB\n")
    rows = benchmark_rows(cache)
    print(f"{'benchmark':24s} {'scoring':8s} {'category':16s} {'domain':11s} {'items':>5s} {'avail':>5s} {'skip':>4s}  harmful")
    for r in rows:
        print(f"{r['name']:24s} {r['scoring']:8s} {r['category']:16s} {r['domain']:11s} {r['items']:5d} "
              f"{r['available']:5d} {r['skipped']:4d}  {'yes' if r['harmful'] else 'no'}")
    print(f"{len(rows)} benchmarks, {sum(r['items'] for r in rows)} items\n")
    for j in jailbreak_rows(cache):
        print(f"jailbreak templates {j['name']:16s} {j['templates']:4d} ({j['with_slot']} with a request slot, "
              f"the rest prepended)  {j['licence']}")


def print_markdown(cache: Path | None) -> None:
    print("| benchmark | package==version | path in archive | licence | items (of available) | scoring | what it measures | example prompt |")
    print("|---|---|---|---|---|---|---|---|")
    for r in benchmark_rows(cache):
        pin, path = r["source"].split(":", 1)
        print(f"| `{r['name']}` | {pin} | `{path}` | {r['licence']} | {r['items']} ({r['available']}) | {r['scoring']} "
              f"| {r['measures']} | {r['example']} |")
    print("\n| jailbreak source | package==version | path in archive | licence | templates | with request slot | example |")
    print("|---|---|---|---|---|---|---|")
    for j in jailbreak_rows(cache):
        pin, path = j["source"].split(":", 1)
        print(f"| `{j['name']}` | {pin} | `{path}` | {j['licence']} | {j['templates']} | {j['with_slot']} | {HIDDEN} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the docs tables")
    parser.add_argument("--cache", type=Path, default=None, help="cache directory (default: $ALIGNMENT_STUDY_CACHE or ~/.cache/...)")
    args = parser.parse_args(argv)
    (print_markdown if args.markdown else print_plain)(args.cache)


if __name__ == "__main__":
    main()
