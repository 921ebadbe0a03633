"""Supervised phase (SL-CAI): answer → critique → revision rounds, then SFT on the revisions.

Red-team prompts get an initial answer from the policy, then ``rounds`` of
critique and revision by the feedback model, each round under one principle
drawn at random (the same principle for its critique and its revision, with
the same few-shot examples replayed before both). Helpfulness prompts keep
their initial answer, so fine-tuning also sees ordinary helpful replies.
Prompts run in seeded chunks until the generation allowance is spent.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

from constitution import Constitution, critique_messages, revision_messages, select_few_shot
from methods.constitution.budget import Allowance, metered_chunks
from methods.constitution.config import ConstitutionConfig
from methods.constitution.data import PhasePrompts, user_turn
from methods.constitution.feedback import Feedback, sample_principle_for
from study.compute import TRAIN_FLOPS_PER_PARAM_TOKEN, Ledger
from study.training import LedgerCallback, peft_config, quiet, trl_args

log = logging.getLogger(__name__)


def shots_rng(seed: int, prompt_id: str, round_: int) -> random.Random:
    return random.Random(f"shots:{seed}:{prompt_id}:{round_}")


def generate_sl_data(prompts: PhasePrompts, policy, feedback: Feedback, constitution: Constitution,
                     config: ConstitutionConfig, seed: int, allowance: Allowance) -> list[dict]:
    """One record per prompt that fit in the allowance (see module docstring)."""
    records: list[dict] = []
    for chunk_no, chunk in metered_chunks(prompts.shuffled(f"sl-order:{seed}"), config.generation_batch_size, allowance, "constitution SL: answer, critique, revise"):
        records += _run_chunk(chunk, policy, feedback, constitution, config, seed, chunk_no)
    return records


def _run_chunk(chunk, policy, feedback: Feedback, constitution: Constitution, config: ConstitutionConfig, seed: int, chunk_no: int) -> list[dict]:
    gen_seed = seed * 100_003 + chunk_no * (2 * config.rounds + 1)
    initial = policy.generate([user_turn(r) for r in chunk], max_new_tokens=config.max_new_tokens, temperature=config.temperature, seed=gen_seed)
    records = [
        {"prompt_id": r.id, "kind": r.kind, "prompt": r.prompt, "initial": a, "principle_ids": [], "few_shot_ids": [],
         "critiques": [], "revisions": [], "target": a if r.kind == "helpful" else None}
        for r, a in zip(chunk, initial)
    ]
    red = [i for i, r in enumerate(chunk) if r.kind == "red_team"]
    current = {i: initial[i] for i in red}
    for round_ in range(config.rounds):
        principles = {i: sample_principle_for(constitution, seed, f"{chunk[i].id}:{round_}") for i in red}
        shots = {i: [ex.id for ex in select_few_shot(constitution, config.few_shot, shots_rng(seed, chunk[i].id, round_))] for i in red}
        convs = {i: user_turn(chunk[i]) + [{"role": "assistant", "content": current[i]}] for i in red}
        critiques = feedback.generate(
            [critique_messages(constitution, principles[i], convs[i], n_shots=config.few_shot, rng=shots_rng(seed, chunk[i].id, round_)) for i in red],
            config.critique_max_new_tokens, config.temperature, gen_seed + 1 + 2 * round_,
        )
        revisions = feedback.generate(
            [revision_messages(constitution, principles[i], convs[i], c, n_shots=config.few_shot, rng=shots_rng(seed, chunk[i].id, round_))
             for i, c in zip(red, critiques)],
            config.max_new_tokens, config.temperature, gen_seed + 2 + 2 * round_,
        )
        for i, c, v in zip(red, critiques, revisions):
            rec = records[i]
            rec["principle_ids"].append(principles[i].id)
            rec["few_shot_ids"].append(shots[i])
            rec["critiques"].append(c)
            rec["revisions"].append(v)
            if usable_revision(c, v):
                current[i] = v
    for i in red:
        rec = records[i]
        revised = [v for c, v in zip(rec["critiques"], rec["revisions"]) if usable_revision(c, v)]
        rec["target"] = revised[-1] if revised else None  # never train on an uncritiqued red-team answer
    return records


def usable_revision(critique: str, revision: str) -> bool:
    """Empty revisions, and revisions that merely repeat the critique (small models mix up the roles), are discarded."""
    return bool(revision.strip()) and revision.strip() != critique.strip()


def sft_rows(records: list[dict]) -> list[dict]:
    """Conversational prompt/completion rows (TRL SFT format) for every record with a target."""
    return [
        {"prompt": [{"role": "user", "content": r["prompt"]}], "completion": [{"role": "assistant", "content": r["target"]}]}
        for r in records if r["target"]
    ]


def train_sft(loaded, rows: list[dict], config: ConstitutionConfig, ledger: Ledger, seed: int, out_dir: Path):
    """SFT until ``sl_training.max_steps`` or the (capped) ledger budget; returns (trainer, callback) or None.

    None means no step was affordable or there was nothing to train on.
    """
    from datasets import Dataset
    from trl import SFTTrainer

    tok = loaded.tokenizer
    if not rows:
        return None
    lengths = [len(tok.apply_chat_template(r["prompt"] + r["completion"], tokenize=True)) for r in rows]
    s = config.sl_training
    step = TRAIN_FLOPS_PER_PARAM_TOKEN * loaded.n_params_non_embedding * s.batch_size * s.gradient_accumulation_steps * max(lengths)
    if not ledger.can_afford(step / 2):
        log.info("SL phase: no budget left for one SFT step (~%.3g FLOPs)", step)
        return None
    callback = LedgerCallback(ledger, label="constitution SL (SFT)")
    trainer = SFTTrainer(
        model=loaded.model, processing_class=tok, args=trl_args("sft", s, out_dir, seed), train_dataset=Dataset.from_list(rows),
        peft_config=peft_config(s), callbacks=[callback],
    )
    quiet(trainer).train()
    return trainer, callback
