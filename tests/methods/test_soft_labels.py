"""Soft labels are training targets: per-pair EXO target in DPO, and top_logprobs from API judges."""

from __future__ import annotations

import math

import pytest

from methods.constitution.feedback import Feedback, label_from_top_logprobs, soft_label


def _trainer(tiny, tmp_path, confidences):
    from datasets import Dataset

    from methods.constitution.soft_dpo import EPS_MIN, SoftLabelDPOTrainer
    from study.training import TrainingSettings, trl_args

    rows = [{"prompt": [{"role": "user", "content": "Say something kind."}], "chosen": [{"role": "assistant", "content": "You did well."}],
             "rejected": [{"role": "assistant", "content": "Whatever."}], "label_confidence": c} for c in confidences]
    args = trl_args("dpo", TrainingSettings(max_steps=1, batch_size=len(rows)), tmp_path, 0, beta=0.1, loss_type=["exo_pair"],
                    label_smoothing=EPS_MIN)
    return SoftLabelDPOTrainer(model=tiny.model, processing_class=tiny.tokenizer, args=args, train_dataset=Dataset.from_list(rows))


def _loss(trainer) -> float:
    import torch

    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(len(trainer.train_dataset))])
    with torch.no_grad():
        return float(trainer.compute_loss(trainer.model, batch))


@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.99])
def test_soft_label_sets_the_per_pair_target(tiny, tmp_path, confidence):
    """At the start policy == reference, so q = [0.5, 0.5] and the loss is KL(q || [c, 1 - c]) computed by hand."""
    loss = _loss(_trainer(tiny, tmp_path, [confidence]))
    expected = 0.5 * math.log(0.5 / confidence) + 0.5 * math.log(0.5 / (1 - confidence))
    assert loss == pytest.approx(expected, abs=1e-5)


def test_soft_label_is_per_pair_not_per_batch(tiny, tmp_path):
    mixed = _loss(_trainer(tiny, tmp_path, [0.5, 0.99]))
    expected = (0 + 0.5 * math.log(0.5 / 0.99) + 0.5 * math.log(0.5 / 0.01)) / 2
    assert mixed == pytest.approx(expected, abs=1e-5)


def test_dpo_rows_carry_the_confidence():
    from methods.constitution.feedback import Judgement
    from methods.constitution.rl_phase import _pair_record, dpo_rows

    class R:
        id, kind, prompt = "p1", "red_team", "hi"

    record = _pair_record(R, "honesty", "x answer", "y answer", Judgement(p_x=0.3, order="xy", p_a=(0.3,)), 0.0)
    (row,) = dpo_rows([record])
    assert row["label_confidence"] == pytest.approx(0.7) and row["chosen"][0]["content"] == "y answer"


def test_label_from_top_logprobs():
    assert label_from_top_logprobs([[("(", -0.01)], [("A", math.log(0.6)), ("B", math.log(0.3)), ("C", -5.0)]]) == pytest.approx(2 / 3)
    assert label_from_top_logprobs([[(" B", -0.1), ("(A", -2.0)]]) == pytest.approx(soft_label(-2.0, -0.1))
    assert label_from_top_logprobs([[("A", -0.1), ("x", -3.0)]]) == pytest.approx(soft_label(-0.1, -3.0))  # B missing: floor
    assert label_from_top_logprobs([[("Sure", -0.1)]]) is None


class LogprobBackend:
    def __init__(self, tops):
        self.tops = tops

    def generate_with_logprobs(self, conversations, max_new_tokens, top_logprobs):
        return [{"text": "(B)", "top_logprobs": t} for t, _ in zip(self.tops, conversations)]

    def generate(self, conversations, **_):
        return ["(B)" for _ in conversations]


def test_api_feedback_reads_top_logprobs_and_falls_back_to_hard_label():
    from constitution import load_constitution

    principle = load_constitution().principles[0]
    fb = Feedback(LogprobBackend([[[("A", math.log(0.7)), ("B", math.log(0.3))]], [[("Hmm", -0.1)]]]))
    ctx = [{"role": "user", "content": "q"}]
    labels = fb.p_first([(principle, ctx, "a", "b"), (principle, ctx, "a", "b")])
    assert labels[0] == pytest.approx(0.7) and labels[1] == 0.0 and fb.hard_labels == 1
