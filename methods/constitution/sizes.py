"""Token sizes of the method's prompts, measured with the real tokenizer and chat template.

They turn the nominal budget estimate into a precise one before any work,
and check that the longest critique/revision/comparison prompt plus its
generation fits the model's context (a 135M model has 2048 positions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from constitution import COMPARISON_ANSWER_PREFIX, Constitution, PromptRecord, comparison_messages, revision_messages
from methods.constitution.config import ConstitutionConfig
from methods.constitution.data import user_turn
from study.errors import ConfigError


@dataclass(frozen=True)
class Sizes:
    prompt_tokens: int  # longest prompt as a rendered chat turn (template + default system prompt)
    shot_tokens: int  # longest few-shot example replayed as chat turns
    request_tokens: int  # longest critique/revision request turn
    comparison_tokens: int  # comparison scaffold (longest question) without the conversation and answers
    revision_overhead: int  # a revision prompt with ``few_shot`` of the longest examples, empty texts


def measure(tokenizer, constitution: Constitution, prompts: list[PromptRecord], config: ConstitutionConfig) -> Sizes:
    def n(messages) -> int:
        return len(tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=True))

    longest_first = sorted(constitution.few_shot, key=lambda e: len(e.prompt + e.initial_answer + e.critique + e.revision), reverse=True)
    c = replace(constitution, few_shot=tuple(longest_first))
    principle = max(constitution.principles, key=lambda p: len(p.critique_request) + len(p.revision_request))
    conv = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]
    bare = n(revision_messages(c, principle, conv, "z", n_shots=0))
    with_shots = n(revision_messages(c, principle, conv, "z", n_shots=config.few_shot))
    question = max(constitution.principles, key=lambda p: len(p.comparison_question))
    comparison = n(comparison_messages(question, [{"role": "user", "content": "x"}], "a", "b")[:-1]) + len(tokenizer(COMPARISON_ANSWER_PREFIX + "A")["input_ids"])
    return Sizes(
        prompt_tokens=max((n(user_turn(r)) for r in prompts), default=0),
        shot_tokens=math.ceil((with_shots - bare) / config.few_shot) if config.few_shot else 0,
        request_tokens=math.ceil((bare - n(conv)) / 2),
        comparison_tokens=comparison,
        revision_overhead=with_shots,
    )


def check_context(sizes: Sizes, config: ConstitutionConfig, max_positions: int | None) -> None:
    """Raise ConfigError when the longest prompt plus its generation cannot fit the model's context."""
    if not max_positions:
        return
    revision = sizes.revision_overhead + sizes.prompt_tokens + config.max_new_tokens + config.critique_max_new_tokens + config.max_new_tokens
    comparison = sizes.comparison_tokens + sizes.prompt_tokens + 2 * config.max_new_tokens
    worst, what = max((revision, "revision"), (comparison, "comparison"))
    if worst > max_positions:
        raise ConfigError(
            f"the longest {what} prompt plus its generation needs ~{worst} tokens but the model has {max_positions} positions; "
            f"lower few_shot ({config.few_shot}), max_new_tokens ({config.max_new_tokens}) or critique_max_new_tokens ({config.critique_max_new_tokens})"
        )
