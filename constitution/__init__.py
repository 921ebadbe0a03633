"""The written constitution (long-form document, principles, few-shot examples),
the SL-CAI prompt sets, and the prompt builders for critique, revision and AI feedback."""

from constitution._vocab import DOMAINS, PROMPT_KINDS, TRAIT_TAGS
from constitution.loader import DATA_DIR, Constitution, FewShotExample, Principle, load_constitution
from constitution.prompt_sets import PromptRecord, load_prompt_set, prompt_set_path
from constitution.prompts import (
    COMPARISON_ANSWER_PREFIX,
    COMPARISON_LABELS,
    comparison_messages,
    critique_messages,
    render_transcript,
    revision_messages,
    select_few_shot,
)

__all__ = [
    "COMPARISON_ANSWER_PREFIX",
    "COMPARISON_LABELS",
    "DATA_DIR",
    "DOMAINS",
    "PROMPT_KINDS",
    "TRAIT_TAGS",
    "Constitution",
    "FewShotExample",
    "Principle",
    "PromptRecord",
    "comparison_messages",
    "critique_messages",
    "load_constitution",
    "load_prompt_set",
    "prompt_set_path",
    "render_transcript",
    "revision_messages",
    "select_few_shot",
]
