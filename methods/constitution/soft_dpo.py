"""DPO on soft preference labels: TRL's EXO-pref loss with a per-pair label.

TRL's ``exo_pair`` loss (Ji et al. 2024, eq. 16) minimises, per pair, the KL
between the policy's implied preference ``q = sigmoid(beta * margin)`` over
{chosen, rejected} and a target ``[1 - eps, eps]``; TRL takes one ``eps`` for
the whole data set (``label_smoothing``). Here ``eps`` is set per batch from
each pair's own soft label (``eps = 1 - confidence``, the feedback model's
probability that the "rejected" answer is in fact better), which is what the
constitution paper does with its soft labels: the training target is the
label's magnitude, not only its sign. A 95/5 pair pushes the margin up hard;
a 55/45 pair settles at a small margin; a 50/50 pair pulls the margin to 0,
i.e. towards the reference model. ``eps`` is kept in [EPS_MIN, 0.5] because
the loss has ``log(eps)``.
"""

from __future__ import annotations

import warnings

import torch
from trl import DPOTrainer
from trl.trainer.dpo_trainer import DataCollatorForPreference

EPS_MIN = 1e-3
CONFIDENCE = "label_confidence"


class SoftLabelCollator(DataCollatorForPreference):
    """TRL's preference collator plus each pair's label confidence as a tensor."""

    def torch_call(self, examples):
        out = super().torch_call(examples)
        out[CONFIDENCE] = torch.tensor([float(e[CONFIDENCE]) for e in examples], dtype=torch.float32)
        return out


class SoftLabelDPOTrainer(DPOTrainer):
    """DPOTrainer whose ``exo_pair`` target is each pair's soft label (column ``label_confidence``)."""

    def __init__(self, *args, **kwargs):
        args_ = kwargs.get("args")
        if args_ is None or list(args_.loss_type) != ["exo_pair"]:
            raise ValueError("SoftLabelDPOTrainer needs DPOConfig(loss_type=['exo_pair'])")
        tok = kwargs["processing_class"]
        kwargs.setdefault("data_collator", SoftLabelCollator(
            pad_token_id=tok.pad_token_id, max_length=args_.max_length, truncation_mode=args_.truncation_mode,
            pad_to_multiple_of=args_.pad_to_multiple_of,
        ))
        super().__init__(*args, **kwargs)

    def _set_signature_columns_if_needed(self):
        super()._set_signature_columns_if_needed()
        if CONFIDENCE not in self._signature_columns:
            self._signature_columns = [*self._signature_columns, CONFIDENCE]

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        confidence = inputs.pop(CONFIDENCE)
        eps = (1.0 - confidence).clamp(EPS_MIN, 0.5).to(self.accelerator.device)
        self.label_smoothing = eps
        with warnings.catch_warnings():  # TRL wraps label_smoothing in torch.tensor(); for a tensor that only warns
            warnings.filterwarnings("ignore", message="To copy construct from a tensor")
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
