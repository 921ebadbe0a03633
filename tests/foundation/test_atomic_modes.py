"""Every atomic writer leaves the same ordinary file mode (0644 under the default umask), not mkstemp's 0600."""

import os
import stat

from study.atomic import write_bytes, write_json, write_text
from study.stats.io import atomic_write_text


def test_all_atomic_writers_share_one_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_json(tmp_path / "a.json", {"x": 1})
        write_text(tmp_path / "b.txt", "x")
        write_bytes(tmp_path / "c.bin", b"x")
        atomic_write_text(tmp_path / "d.csv", "x")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert set(modes.values()) == {0o644}, modes
