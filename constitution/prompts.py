"""Chat conversations for the three model calls of constitution self-critique.

* critique step: few-shot turns, then the conversation under review, then the
  principle's critique request as a user turn; the model writes the critique.
* revision step: the same plus the critique and the revision request; the model
  writes the revised answer.
* AI-feedback comparison: one user turn holding the transcript, the principle's
  comparison question and options (A)/(B), and a final assistant turn
  ``"The answer is: ("`` that the model continues. Render it with
  ``tokenizer.apply_chat_template(messages, continue_final_message=True)`` so
  the next token is ``A`` or ``B``; compare their log-probabilities.

Few-shot examples are replayed as earlier chat turns because small models mix
up "critique" and "revision" without them. The default is one example per call,
which keeps a prompt well inside a 2048-token context for a 135M model.
All functions are pure: same inputs, same messages.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from constitution.loader import Constitution, FewShotExample, Principle
from study.errors import ConfigError

Message = dict[str, str]

COMPARISON_ANSWER_PREFIX = "The answer is: ("
COMPARISON_LABELS = ("A", "B")
_SPEAKERS = {"user": "Human", "assistant": "Assistant"}


def select_few_shot(constitution: Constitution, n_shots: int, rng: random.Random | None = None) -> list[FewShotExample]:
    """The first ``n_shots`` examples, or a seeded random subset when ``rng`` is given."""
    if n_shots < 0:
        raise ConfigError(f"n_shots must be >= 0, got {n_shots}")
    available = len(constitution.few_shot)
    if n_shots > available:
        raise ConfigError(f"n_shots={n_shots} but the constitution at {constitution.source} has only "
                          f"{available} few-shot example(s); lower n_shots or add examples to few_shot")
    if rng is None:
        return list(constitution.few_shot[:n_shots])
    return rng.sample(list(constitution.few_shot), n_shots)


def critique_messages(
    constitution: Constitution,
    principle: Principle,
    conversation: Sequence[Mapping[str, str]],
    *,
    n_shots: int = 1,
    rng: random.Random | None = None,
    system: str | None = None,
) -> list[Message]:
    """Messages after which the model should write a critique of the last assistant turn."""
    return _critique_request(constitution, principle, conversation, n_shots, rng, system, with_revision=False)


def revision_messages(
    constitution: Constitution,
    principle: Principle,
    conversation: Sequence[Mapping[str, str]],
    critique: str,
    *,
    n_shots: int = 1,
    rng: random.Random | None = None,
    system: str | None = None,
) -> list[Message]:
    """Messages after which the model should write the revised answer (and nothing else)."""
    messages = _critique_request(constitution, principle, conversation, n_shots, rng, system, with_revision=True)
    return messages + [
        {"role": "assistant", "content": critique.strip()},
        {"role": "user", "content": principle.revision_request},
    ]


def comparison_messages(
    principle: Principle,
    conversation: Sequence[Mapping[str, str]],
    response_a: str,
    response_b: str,
) -> list[Message]:
    """The AI-feedback question: which response, (A) or (B), better follows the principle.

    ``conversation`` is the context the two responses answer (ending with a user
    turn). The last message is an assistant prefix to continue, not a finished turn.
    """
    turns = _checked(conversation, last_role="user")
    body = (
        "Consider the following conversation between a human and an assistant:\n\n"
        f"{render_transcript(turns)}\n\n"
        f"{principle.comparison_question}\n"
        "Options:\n"
        f"(A) {response_a.strip()}\n"
        f"(B) {response_b.strip()}\n\n"
        "Reply with the letter of the better response."
    )
    return [
        {"role": "user", "content": body},
        {"role": "assistant", "content": COMPARISON_ANSWER_PREFIX},
    ]


def render_transcript(conversation: Sequence[Mapping[str, str]]) -> str:
    """``Human: ...`` / ``Assistant: ...`` lines, blank line between turns."""
    return "\n\n".join(f"{_SPEAKERS[m['role']]}: {m['content'].strip()}" for m in conversation)


def _critique_request(constitution: Constitution, principle: Principle, conversation: Sequence[Mapping[str, str]],
                      n_shots: int, rng: random.Random | None, system: str | None, *, with_revision: bool) -> list[Message]:
    """System prompt, few-shot examples (with their revisions or not), the conversation under review and the
    principle's critique request: the start of both the critique and the revision step."""
    turns = _checked(conversation, last_role="assistant")
    shots = select_few_shot(constitution, n_shots, rng)
    messages = _system(system)
    for ex in shots:
        messages += _example_turns(constitution, ex, with_revision=with_revision)
    return messages + turns + [{"role": "user", "content": principle.critique_request}]


def _example_turns(constitution: Constitution, ex: FewShotExample, *, with_revision: bool) -> list[Message]:
    principle = constitution.principle(ex.principle_id)
    turns = [
        {"role": "user", "content": ex.prompt},
        {"role": "assistant", "content": ex.initial_answer},
        {"role": "user", "content": principle.critique_request},
        {"role": "assistant", "content": ex.critique},
    ]
    if with_revision:
        turns += [
            {"role": "user", "content": principle.revision_request},
            {"role": "assistant", "content": ex.revision},
        ]
    return turns


def _system(system: str | None) -> list[Message]:
    return [{"role": "system", "content": system}] if system else []


def _checked(conversation: Sequence[Mapping[str, str]], *, last_role: str) -> list[Message]:
    """Copy of user/assistant turns, starting with a user turn and ending with ``last_role``."""
    if not conversation:
        raise ValueError("conversation is empty; pass at least one user turn")
    turns = []
    for i, m in enumerate(conversation):
        role, content = m.get("role"), m.get("content")
        if role not in _SPEAKERS:
            raise ValueError(f"conversation[{i}] has role {role!r}; only 'user' and 'assistant' turns are allowed "
                             f"(pass a system prompt through system=)")
        if not isinstance(content, str):
            raise ValueError(f"conversation[{i}] content must be a string")
        turns.append({"role": role, "content": content})
    if turns[0]["role"] != "user":
        raise ValueError("conversation must start with a user turn")
    if turns[-1]["role"] != last_role:
        raise ValueError(f"conversation must end with a {last_role} turn, ends with {turns[-1]['role']!r}")
    return turns
