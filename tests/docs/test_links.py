"""Every relative link in the README, docs/ and results/*/README.md points at a file git tracks.

A report linked from the README but swallowed by .gitignore (results/* is ignored
except the committed examples) looks fine on the machine that wrote it and is a
dead link everywhere else; this is the check that catches it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def tracked_files() -> set[str]:
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return set(out.splitlines())


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "results").glob("*/README.md"))]


def relative_links(doc: Path) -> list[str]:
    return [m.group(1) for m in LINK.finditer(doc.read_text(encoding="utf-8"))
            if not re.match(r"[a-z]+:", m.group(1))]


def test_relative_links_point_at_files_git_keeps():
    files = tracked_files()
    dirs = {str(p) for f in files for p in Path(f).parents}
    dead = []
    for doc in markdown_files():
        for link in relative_links(doc):
            target = (doc.parent / link).resolve()
            try:
                rel = str(target.relative_to(ROOT))
            except ValueError:
                dead.append(f"{doc.relative_to(ROOT)} -> {link} (outside the repository)")
                continue
            if rel not in files and rel.rstrip("/") not in dirs:
                dead.append(f"{doc.relative_to(ROOT)} -> {link}")
    assert not dead, "links to files git does not keep (missing, or ignored by .gitignore):\n" + "\n".join(dead)


def test_committed_example_reports_are_not_ignored():
    out = subprocess.run(["git", "check-ignore", "-q", "--no-index", "results/example-powered/report.md"], cwd=ROOT,
                         capture_output=True)
    if out.returncode == 128:
        pytest.skip("not a git checkout")
    assert out.returncode == 1, ".gitignore swallows results/example-*/ (the committed example reports)"
