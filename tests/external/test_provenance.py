"""The repackaged HarmBench / StrongREJECT archives match the original releases (real archives only)."""

import pytest

from study.external.fetch import resolve_cache_dir
from study.external.provenance import EXPECTED, check
from study.external.sources import SOURCES


def _have_real_archives() -> bool:
    return all((resolve_cache_dir() / SOURCES[e.source].filename).is_file() for e in EXPECTED)


@pytest.mark.skipif(not _have_real_archives(), reason="real archives not fetched (study data fetch)")
def test_repackaged_archives_match_published_counts_and_independent_hashes():
    for f in check():
        assert f["rows"] == f["rows_expected"], f["member"]
        assert f["counts_match"], f["member"]
        assert f["sha256_matches_independent_copy"], f["member"]
