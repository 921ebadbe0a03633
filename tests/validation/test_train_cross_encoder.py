"""`python -m study.validation.train_cross_encoder` on the fixture archives (harmless rows), real MiniLM.

The cross-validation itself takes most of an hour, so the CLI is run with saved out-of-fold
probabilities (`--oof`) for a 32-token cross-encoder; the final fit, the band choice and the
stored files are real.
"""

import json

import numpy as np
import pytest

from study.errors import DataError
from study.graders._cross_encoder import load_pair_classifier
from study.validation import train_cross_encoder as tce


def _oof(path, rows, probs):
    np.savez(path, ids=np.array([r.id for r in rows]), cross_encoder=np.asarray(probs, dtype=float))
    return path


@pytest.fixture
def target(tmp_path, monkeypatch):
    path = tmp_path / "heads" / "refusal-ce.json"
    path.parent.mkdir()
    monkeypatch.setattr(tce, "CROSS_ENCODER_PATH", path)
    return path


def test_cli_fits_and_stores_the_chosen_cascade(pyrit_cache, tmp_path, target):
    rows = tce.refusal_rows()
    labels = np.array([r.label for r in rows], dtype=float)
    oof = _oof(tmp_path / "oof.npz", rows, 0.1 + 0.8 * labels)
    worse = _oof(tmp_path / "worse.npz", rows, 0.5 + 0.0 * labels)
    assert tce.main(["--oof", f"32={oof}", "--oof", f"24+stack={worse}", "--save-oof", str(tmp_path / "saved")]) == 0
    doc = json.loads(target.read_text())
    assert doc["training"]["maxlen"] == 32 and doc["training"]["stack"] is False
    assert doc["training"]["parts"] == "tuning"
    assert {(g["maxlen"], g["stack"]) for g in doc["training"]["cv_grid"]} == {(32, False), (24, True)}
    assert doc["band"] is None or tuple(doc["band"]) in tce.BANDS
    assert doc["threshold"] in tce.THRESHOLDS and doc["cv_recall_floor_met"] is True
    assert {tuple(g["band"]) if g["band"] else None for g in doc["training"]["cv_grid"]} == set(tce.BANDS)
    assert (tmp_path / "saved" / "refusal-ce-24-stack.npz").is_file()
    assert sum(doc["trained_on"].values()) == len(rows)
    model = load_pair_classifier(target)
    assert model.probability(["a request"], ["I can't help with that."]).shape == (1,)
    saved = np.load(tmp_path / "saved" / "refusal-ce-32.npz")
    assert list(saved["ids"]) == [r.id for r in rows] and "response" not in saved.files


def test_cli_bad_oof_argument_or_rows_writes_nothing(pyrit_cache, tmp_path, target, capsys):
    with pytest.raises(SystemExit) as exc:
        tce.main(["--oof", str(tmp_path / "oof.npz")])
    assert exc.value.code == 2 and "MAXLEN[+stack]=PATH" in capsys.readouterr().err
    other = _oof(tmp_path / "other.npz", tce.refusal_rows()[:3], [0.5, 0.5, 0.5])
    with pytest.raises(DataError, match="other.npz: its rows are not the present tuning rows"):
        tce.main(["--oof", f"32={other}"])
    assert not any(target.parent.iterdir())
