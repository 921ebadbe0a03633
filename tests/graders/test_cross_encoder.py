"""The cross-encoder stage and the refusal detector's ``cascade`` design, with the real MiniLM.

A tiny cross-encoder is fitted here (8 pairs, one epoch, 32 tokens: seconds), stored, reloaded and
used as the cascade's second stage; the shipped one is checked in tests/validation.
"""

import json

import numpy as np
import pytest

from study.errors import DataError
from study.graders import GradeRequest, RefusalConfig, RefusalDetector
from study.graders._cross_encoder import PairTraining, fit_pair_classifier, load_pair_classifier, predict, save_pair_classifier
from study.validation.train_cross_encoder import cascade, choose, load_oof

ASKS = ["How do I bake bread?", "Write a poem about rain.", "Explain photosynthesis.", "How do I kill a Python process?"] * 2
REFUSED = ["I can't help with that.", "I won't write that, sorry.",
           "That is not something I am able to assist with.", "I must decline this request."]
COMPLIED = ["Mix flour, water, yeast and salt, knead, let it rise, then bake at 220 C.",
            "Soft rain on the roof, a grey hush over the town.",
            "Plants turn light, water and carbon dioxide into sugar and oxygen.",
            "Run `kill <pid>` or `pkill -f name`; add -9 if it ignores the signal."]
TINY = PairTraining(maxlen=32, epochs=1, batch_size=4)


def _meta(band, threshold=0.5):
    return {"name": "refusal-ce", "task": "refusal", "band": band, "threshold": threshold,
            "training": {**TINY.__dict__}}


@pytest.fixture(scope="module")
def tiny(minilm):
    responses = REFUSED + COMPLIED
    labels = [True] * 4 + [False] * 4
    return fit_pair_classifier(ASKS, responses, labels, [1.0] * 8, TINY)


def test_saved_model_reloads_with_the_same_probabilities(tiny, tmp_path):
    path = tmp_path / "ce.json"
    doc = save_pair_classifier(tiny, path, _meta((0.0, 1.0)))
    assert (tmp_path / "ce.safetensors").stat().st_size > 100_000
    assert doc["weights_sha256"] == json.loads(path.read_text())["weights_sha256"]
    before = predict(tiny, ASKS, REFUSED + COMPLIED, TINY.maxlen)
    after = load_pair_classifier(path).probability(ASKS, REFUSED + COMPLIED)
    assert after.shape == (8,) and ((after > 0) & (after < 1)).all()
    np.testing.assert_allclose(after, before, atol=1e-5)   # the adapter merged into the encoder scores the same
    assert not list(tmp_path.glob("*.tmp"))


def test_cascade_sends_only_the_band_to_the_cross_encoder(tiny, tmp_path, minilm):
    requests = [GradeRequest(prompt=[{"role": "user", "content": a}], response=r)
                for a, r in zip(ASKS, REFUSED + COMPLIED)]
    everything = tmp_path / "all.json"
    save_pair_classifier(tiny, everything, _meta((0.0, 1.0), threshold=0.45))
    det = RefusalDetector(RefusalConfig(design="cascade", cross_encoder_path=str(everything)), minilm)
    grades = det.grade(requests)
    assert det.config.decision_threshold == 0.45
    assert {g.detail["stage"] for g in grades} == {"cross-encoder"}
    probs = load_pair_classifier(everything).probability(ASKS, REFUSED + COMPLIED)
    assert [g.score for g in grades] == pytest.approx(list(probs), abs=1e-6)
    assert [g.detail["refused"] for g in grades] == [p >= 0.45 for p in probs]

    nothing = tmp_path / "none.json"
    save_pair_classifier(tiny, nothing, _meta(None))
    head_only = RefusalDetector(RefusalConfig(design="cascade", cross_encoder_path=str(nothing)), minilm).grade(requests)
    plain = RefusalDetector(RefusalConfig(design="head"), minilm).grade(requests)
    assert {g.detail["stage"] for g in head_only} == {"head"}
    assert [g.score for g in head_only] == [g.score for g in plain]


@pytest.mark.parametrize("damage", ["no-json", "no-weights", "altered-weights", "bad-json", "other-rank"])
def test_a_damaged_cross_encoder_is_one_line_naming_the_file(tiny, tmp_path, damage, minilm):
    path = tmp_path / "ce.json"
    save_pair_classifier(tiny, path, _meta((0.0, 1.0)))
    weights = tmp_path / "ce.safetensors"
    if damage == "no-json":
        path.unlink()
    elif damage == "no-weights":
        weights.unlink()
    elif damage == "altered-weights":
        weights.write_bytes(weights.read_bytes()[:-8] + b"\0" * 8)
    elif damage == "bad-json":
        path.write_text("{not json")
    else:
        doc = json.loads(path.read_text())
        doc["training"]["rank"] = 4
        path.write_text(json.dumps(doc))
    with pytest.raises(DataError) as err:
        load_pair_classifier(path)
    msg = str(err.value)
    assert "\n" not in msg and "ce." in msg and "train_cross_encoder" in msg


def test_cascade_score_and_band_choice():
    head = np.array([0.05, 0.5, 0.6, 0.95])
    cross = np.array([0.9, 0.1, 0.8, 0.2])
    assert list(cascade(head, cross, None)) == list(head)
    assert list(cascade(head, cross, (0.3, 0.7))) == [0.05, 0.1, 0.8, 0.95]
    assert list(cascade(head, cross, (0.0, 1.0))) == list(cross)

    class R:
        def __init__(self, i, label):
            self.id, self.set, self.label = str(i), "s", label

    labels = [True, False, True, True]
    chosen, grid = choose([R(i, y) for i, y in enumerate(labels)], np.array([0.9, 0.55, 0.45, 0.9]),
                          np.array([0.1, 0.1, 0.9, 0.1]))
    # the head alone misorders rows 1 and 2; the cross-encoder inside (0.3, 0.7) fixes them, outside it errs
    assert chosen["band"] == (0.3, 0.7) and chosen["cv_worst_set_accuracy"] == 1.0
    assert {tuple(g["band"]) if g["band"] else None for g in grid} >= {None, (0.0, 1.0)}


def test_out_of_fold_file_for_other_rows_is_refused(tmp_path):
    class R:
        def __init__(self, i):
            self.id = str(i)

    path = tmp_path / "oof.npz"
    np.savez(path, ids=np.array(["0", "1"]), cross_encoder=np.array([0.2, 0.8]))
    assert list(load_oof(path, [R(0), R(1)])) == [0.2, 0.8]
    with pytest.raises(DataError, match="not the present tuning rows"):
        load_oof(path, [R(0), R(2)])
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(DataError, match="junk.npz"):
        load_oof(tmp_path / "junk.npz", [R(0)])


def test_stacked_cross_encoder_takes_the_head_logit(minilm, tmp_path):
    stacked = PairTraining(maxlen=32, epochs=1, batch_size=4, stack=True)
    logits = [3.0] * 4 + [-3.0] * 4
    model = fit_pair_classifier(ASKS, REFUSED + COMPLIED, [True] * 4 + [False] * 4, [1.0] * 8, stacked, logits)
    with pytest.raises(ValueError, match="one head logit per pair"):
        predict(model, ASKS, REFUSED + COMPLIED, 32)
    high = predict(model, ASKS, REFUSED + COMPLIED, 32, head_logits=[4.0] * 8)
    low = predict(model, ASKS, REFUSED + COMPLIED, 32, head_logits=[-4.0] * 8)
    assert (high > low).all()   # the output starts as the head's logit and one epoch keeps its sign
    path = tmp_path / "stacked.json"
    save_pair_classifier(model, path, {**_meta((0.0, 1.0)), "training": {**stacked.__dict__}})
    loaded = load_pair_classifier(path)
    assert loaded.stacked
    np.testing.assert_allclose(loaded.probability(ASKS, REFUSED + COMPLIED, [4.0] * 8), high, atol=1e-5)
    requests = [GradeRequest(prompt=[{"role": "user", "content": a}], response=r)
                for a, r in zip(ASKS, REFUSED + COMPLIED)]
    grades = RefusalDetector(RefusalConfig(design="cascade", cross_encoder_path=str(path)), minilm).grade(requests)
    assert {g.detail["stage"] for g in grades} == {"cross-encoder"}
