"""Importing a git-snapshot source (data that is on no package index) from a local copy of its commit."""

import dataclasses
import hashlib
import io
import tarfile
import zipfile

import pytest

from study.external.fetch import FetchError, fetch, fetch_command, import_snapshot
from study.external.sources import REPO_SNAPSHOTS, get_source

FILES = {"data/a.csv": b"prompt,completion\nq,r\n", "LICENSE": b"fixture licence\n"}


@pytest.fixture
def snapshot(monkeypatch):
    real = REPO_SNAPSHOTS["xstest-v2"]
    fake = dataclasses.replace(real, files=tuple((p, hashlib.sha256(b).hexdigest()) for p, b in FILES.items()))
    monkeypatch.setitem(REPO_SNAPSHOTS, "xstest-v2", fake)
    return fake


def github_zip(path, files=FILES, top="exaggerated-safety-d7bb5bd"):
    with zipfile.ZipFile(path, "w") as zf:
        for rel, data in files.items():
            zf.writestr(f"{top}/{rel}", data)
    return path


def read_cached(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_import_from_a_github_style_zip_verifies_and_caches(tmp_path, snapshot):
    target = import_snapshot("xstest-v2", github_zip(tmp_path / "repo.zip"), tmp_path / "cache")
    assert target == tmp_path / "cache" / snapshot.filename and read_cached(target) == FILES
    assert fetch("xstest-v2", tmp_path / "cache") == target  # once imported, fetch finds it


def test_import_from_a_clone_directory_and_a_tarball(tmp_path, snapshot):
    clone = tmp_path / "clone"
    for rel, data in FILES.items():
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        (clone / rel).write_bytes(data)
    assert read_cached(import_snapshot("xstest-v2", clone, tmp_path / "c1")) == FILES
    tgz = tmp_path / "repo.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        for rel, data in FILES.items():
            info = tarfile.TarInfo(f"top/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert read_cached(import_snapshot("xstest-v2", tgz, tmp_path / "c2")) == FILES


def test_a_changed_file_is_a_one_line_error_and_nothing_is_cached(tmp_path, snapshot):
    bad = github_zip(tmp_path / "repo.zip", {**FILES, "data/a.csv": b"edited\n"})
    with pytest.raises(FetchError, match=r"data/a.csv .* has sha256 .* pinned .* check out commit d7bb5bd738c1") as e:
        import_snapshot("xstest-v2", bad, tmp_path / "cache")
    assert "\n" not in str(e.value)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


@pytest.mark.parametrize("make, match", [
    (lambda p: github_zip(p / "r.zip", {"LICENSE": FILES["LICENSE"]}), "has no data/a.csv"),
    (lambda p: p / "missing.zip", "does not exist"),
    (lambda p: (p / "junk.zip").write_bytes(b"not a zip") and p / "junk.zip", "neither a directory nor"),
])
def test_bad_copies_name_the_source_and_the_fix(tmp_path, snapshot, make, match):
    with pytest.raises(FetchError, match=match) as e:
        import_snapshot("xstest-v2", make(tmp_path), tmp_path / "cache")
    assert "xstest-v2" in str(e.value) and "\n" not in str(e.value)


def test_fetch_without_a_copy_says_where_to_get_one(tmp_path):
    with pytest.raises(FetchError, match=r"not on PyPI: download https://github.com/paul-rottger/.*--from PATH"):
        fetch("xstest-v2", tmp_path)


def test_from_is_only_for_one_git_snapshot(tmp_path):
    with pytest.raises(FetchError, match="comes from PyPI"):
        fetch_command(["pyrit"], tmp_path, tmp_path)
    with pytest.raises(FetchError, match="imports one git snapshot"):
        fetch_command(None, tmp_path, tmp_path)


def test_snapshot_pins_are_complete():
    for s in REPO_SNAPSHOTS.values():
        assert get_source(s.name) is s and len(s.commit) == 40 and s.files
        assert all(len(h) == 64 and int(h, 16) >= 0 for _, h in s.files)
        assert s.homepage.startswith("https://github.com/") and s.commit in s.download_hint


def test_cli_import_error_is_one_line_exit_2(tmp_path, capsys):
    from study.cli import main

    rc = main(["data", "fetch", "xstest-v2", "--from", str(tmp_path / "nowhere"), "--cache-dir", str(tmp_path / "c")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "xstest-v2" in err and "does not exist" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "c").exists()
