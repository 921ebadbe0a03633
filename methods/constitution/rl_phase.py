"""RL phase (RL-CAI): preference pairs labelled by AI feedback, then DPO (or GRPO).

DPO: the SL model samples two answers per prompt; the feedback model judges
them under a principle drawn per prompt, in a randomised A/B order (and, by
default, in both orders); near-50/50 pairs are dropped; DPO with ``beta`` as
the KL anchor to the SL model trains on the rest until the budget or
``rl_training.max_steps`` runs out.

GRPO: the reward of a rollout is the feedback model's probability that it
beats the SL model's own (greedy) reference answer under a sampled principle.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

from constitution import Constitution
from methods.constitution.budget import Allowance, metered_chunks
from methods.constitution.config import ConstitutionConfig
from methods.constitution.data import PhasePrompts, user_turn
from methods.constitution.feedback import Feedback, sample_principle_for
from study.compute import FORWARD_FLOPS_PER_PARAM_TOKEN, TRAIN_FLOPS_PER_PARAM_TOKEN, Ledger
from study.training import LedgerCallback, peft_config, quiet, trl_args

log = logging.getLogger(__name__)


def order_swapped(seed: int, key: str) -> bool:
    """Whether the second sample is shown as (A): a fair coin per pair, independent of batching."""
    return random.Random(f"order:{seed}:{key}").random() < 0.5


def generate_pairs(prompts: PhasePrompts, policy, feedback: Feedback, constitution: Constitution,
                   config: ConstitutionConfig, seed: int, allowance: Allowance) -> list[dict]:
    """One judged record per prompt that fit in the allowance; ``dropped`` says why a pair is not trained on."""
    records: list[dict] = []
    for chunk_no, chunk in metered_chunks(prompts.shuffled(f"rl-order:{seed}"), config.generation_batch_size, allowance, "constitution RL: sample and judge pairs"):
        convs = [user_turn(r) for r in chunk]
        samples = policy.generate(convs + convs, max_new_tokens=config.max_new_tokens, temperature=config.rl_temperature,
                                  seed=seed * 100_003 + 50_000 + chunk_no)
        xs, ys = samples[: len(chunk)], samples[len(chunk) :]
        principles = [sample_principle_for(constitution, seed, f"pair:{r.id}") for r in chunk]
        swaps = [order_swapped(seed, r.id) for r in chunk]
        judged = feedback.judge(list(zip(principles, convs, xs, ys)), swaps, config.judge_both_orders, config.clamp)
        for r, p, x, y, j in zip(chunk, principles, xs, ys, judged):
            records.append(_pair_record(r, p.id, x, y, j, config.drop_uncertain))
    return records


def _pair_record(record, principle_id: str, x: str, y: str, j, drop_uncertain: float) -> dict:
    a, b = (y, x) if j.order == "yx" else (x, y)
    p_a = j.p_x if j.order == "xy" else 1.0 - j.p_x
    dropped = None
    if not x.strip() or not y.strip() or x.strip() == y.strip():
        dropped = "empty or identical answers"
    elif abs(p_a - 0.5) <= drop_uncertain:
        dropped = f"uncertain (|p - 0.5| <= {drop_uncertain})"
    chosen, rejected = (a, b) if p_a > 0.5 else (b, a)
    return {
        "prompt_id": record.id, "kind": record.kind, "prompt": record.prompt, "principle_id": principle_id,
        "A": a, "B": b, "order": j.order, "p_a_raw": list(j.p_a), "soft_label": p_a, "confidence": max(p_a, 1.0 - p_a),
        "chosen": None if dropped else chosen, "rejected": None if dropped else rejected, "dropped": dropped,
    }


def dpo_rows(records: list[dict]) -> list[dict]:
    """Conversational prompt/chosen/rejected rows (TRL preference format) for the kept pairs, with the label's
    confidence P(chosen beats rejected) as ``label_confidence`` (the soft-label target; ignored by hard DPO)."""
    return [
        {"prompt": [{"role": "user", "content": r["prompt"]}], "chosen": [{"role": "assistant", "content": r["chosen"]}],
         "rejected": [{"role": "assistant", "content": r["rejected"]}], "label_confidence": float(r["confidence"])}
        for r in records if not r["dropped"]
    ]


def train_dpo(loaded, rows: list[dict], config: ConstitutionConfig, ledger: Ledger, seed: int, out_dir: Path):
    """DPO until max_steps or the ledger budget; returns (trainer, callback) or None when nothing can run."""
    from datasets import Dataset
    from trl import DPOTrainer

    if not rows:
        return None
    tok = loaded.tokenizer
    s = config.rl_training
    longest = max(len(tok.apply_chat_template(r["prompt"] + r["chosen"], tokenize=True)) +
                  len(tok.apply_chat_template(r["prompt"] + r["rejected"], tokenize=True)) for r in rows)
    per_token = TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN
    step = per_token * loaded.n_params_non_embedding * s.batch_size * s.gradient_accumulation_steps * longest
    if not ledger.can_afford(step / 2):
        log.info("RL phase: no budget left for one DPO step (~%.3g FLOPs)", step)
        return None
    callback = LedgerCallback(ledger, ("score",), label="constitution RL (DPO)")  # the reference model's forward pass on every trained token
    if config.soft_targets:
        from methods.constitution.soft_dpo import EPS_MIN, SoftLabelDPOTrainer

        args = trl_args("dpo", s, out_dir, seed, beta=config.beta, loss_type=["exo_pair"], label_smoothing=EPS_MIN)
        trainer_cls = SoftLabelDPOTrainer
    else:
        args = trl_args("dpo", s, out_dir, seed, beta=config.beta)
        trainer_cls, rows = DPOTrainer, [{k: v for k, v in r.items() if k != "label_confidence"} for r in rows]
    trainer = trainer_cls(
        model=loaded.model, processing_class=tok, args=args,
        train_dataset=Dataset.from_list(rows), peft_config=peft_config(s), callbacks=[callback],
    )
    quiet(trainer).train()
    return trainer, callback


def reference_answers(prompts: PhasePrompts, policy, config: ConstitutionConfig, seed: int, allowance: Allowance) -> list[dict]:
    """GRPO: the SL model's greedy answer to each prompt that fits the allowance."""
    rows: list[dict] = []
    order = prompts.all
    random.Random(f"rl-order:{seed}").shuffle(order)
    size = config.generation_batch_size
    for start in range(0, len(order), size):
        chunk = order[start : start + size]
        if not allowance.can_start(len(chunk)):
            break
        before = allowance.ledger.total_flops
        answers = policy.generate([user_turn(r) for r in chunk], max_new_tokens=config.max_new_tokens, temperature=0.0)
        rows += [{"prompt": user_turn(r), "prompt_id": r.id, "reference": a} for r, a in zip(chunk, answers)]
        allowance.record(allowance.ledger.total_flops - before, len(chunk))
    return rows


def train_grpo(loaded, rows: list[dict], reward, config: ConstitutionConfig, ledger: Ledger, seed: int, out_dir: Path):
    """GRPO on the reference rows with the constitution-judge reward; returns (trainer, callback) or None."""
    from datasets import Dataset
    from trl import GRPOTrainer

    if not rows:
        return None
    s = config.rl_training
    tok = loaded.tokenizer
    rollout = max(len(tok.apply_chat_template(r["prompt"], add_generation_prompt=True, tokenize=True)) for r in rows) + config.max_new_tokens
    per_token = TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN * (2 if config.beta > 0 else 1)
    step = per_token * loaded.n_params_non_embedding * s.batch_size * s.gradient_accumulation_steps * rollout
    if not ledger.can_afford(step / 2):
        log.info("RL phase: no budget left for one GRPO step (~%.3g FLOPs)", step)
        return None
    args = trl_args(
        "grpo", s, out_dir, seed, num_generations=config.num_generations,
        max_completion_length=config.max_new_tokens, temperature=config.rl_temperature, beta=config.beta, shuffle_dataset=False,
    )
    callback = LedgerCallback(ledger, ("generate", "score") if config.beta > 0 else ("generate",), label="constitution RL (GRPO)")
    trainer = GRPOTrainer(
        model=loaded.model, processing_class=tok, reward_funcs=[reward], args=args,
        train_dataset=Dataset.from_list(rows), peft_config=peft_config(s), callbacks=[callback],
    )
    quiet(trainer).train()
    return trainer, callback
