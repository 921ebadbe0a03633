import random

import pytest

from constitution import (
    COMPARISON_ANSWER_PREFIX,
    comparison_messages,
    critique_messages,
    load_constitution,
    render_transcript,
    revision_messages,
    select_few_shot,
)
from study.errors import ConfigError

CONV = [
    {"role": "user", "content": "Is it safe to run a space heater on an extension cord?"},
    {"role": "assistant", "content": "Yes, totally safe, any cord works."},
]


@pytest.fixture(scope="module")
def c():
    return load_constitution()


def _text(messages):
    return "\n".join(m["content"] for m in messages)


def test_critique_prompt_holds_example_conversation_and_request(c):
    p = c.principle("high-stakes-caveats")
    msgs = critique_messages(c, p, CONV)
    ex = c.few_shot[0]
    ex_principle = c.principle(ex.principle_id)
    assert [m["role"] for m in msgs] == ["user", "assistant"] * 3 + ["user"]
    assert msgs[0]["content"] == ex.prompt and msgs[1]["content"] == ex.initial_answer
    assert msgs[2]["content"] == ex_principle.critique_request and msgs[3]["content"] == ex.critique
    assert msgs[4:6] == CONV
    assert msgs[-1] == {"role": "user", "content": p.critique_request}
    assert ex.revision not in _text(msgs), "the critique step shows no revisions"


def test_revision_prompt_adds_critique_and_revision_request(c):
    p = c.principle("calibrated-confidence")
    msgs = revision_messages(c, p, CONV, "  It overstates safety.  ", n_shots=2)
    text = _text(msgs)
    for ex in c.few_shot[:2]:
        assert ex.critique in text and ex.revision in text
        assert c.principle(ex.principle_id).revision_request in text
    assert c.few_shot[2].prompt not in text
    assert msgs[-3:] == [
        {"role": "user", "content": p.critique_request},
        {"role": "assistant", "content": "It overstates safety."},
        {"role": "user", "content": p.revision_request},
    ]
    assert msgs[-5:-3] == CONV


def test_zero_shots_system_prompt_and_seeded_selection(c):
    p = c.principles[0]
    msgs = critique_messages(c, p, CONV, n_shots=0, system="Be brief.")
    assert msgs == [{"role": "system", "content": "Be brief."}, *CONV, {"role": "user", "content": p.critique_request}]
    a = select_few_shot(c, 2, random.Random(5))
    assert a == select_few_shot(c, 2, random.Random(5)) and len(set(a)) == 2
    picked = {ex.id for seed in range(40) for ex in select_few_shot(c, 1, random.Random(seed))}
    assert picked == {ex.id for ex in c.few_shot}


def test_too_many_shots_is_a_config_error(c):
    with pytest.raises(ConfigError, match=r"n_shots=99 but the constitution .* has only 5 few-shot"):
        critique_messages(c, c.principles[0], CONV, n_shots=99)


def test_builders_reject_malformed_conversations(c):
    p = c.principles[0]
    with pytest.raises(ValueError, match="must end with a assistant turn"):
        critique_messages(c, p, CONV[:1])
    with pytest.raises(ValueError, match="only 'user' and 'assistant'"):
        critique_messages(c, p, [{"role": "system", "content": "x"}, *CONV])
    with pytest.raises(ValueError, match="must end with a user turn"):
        comparison_messages(p, CONV, "a", "b")


def test_comparison_prompt_ends_in_answer_prefix(c):
    p = c.principle("no-false-agreement")
    context = [*CONV, {"role": "user", "content": "Are you sure?"}]
    msgs = comparison_messages(p, context, "Yes, sure.", " No: plug it into the wall. ")
    assert msgs[-1] == {"role": "assistant", "content": COMPARISON_ANSWER_PREFIX}
    assert COMPARISON_ANSWER_PREFIX.endswith("(")
    body = msgs[0]["content"]
    assert body.startswith("Consider the following conversation between a human and an assistant:")
    assert render_transcript(context) in body
    assert "Human: Are you sure?" in body
    assert f"{p.comparison_question}\nOptions:\n(A) Yes, sure.\n(B) No: plug it into the wall.\n" in body


def test_prompts_fit_a_small_context(c):
    """Rough budget: ~3.5 characters per token, 2048 tokens, room left for the answer."""
    longest = max(c.principles, key=lambda p: len(p.critique_request) + len(p.revision_request))
    for i in range(len(c.few_shot)):
        shots = [c.few_shot[i]]
        sub = type(c)(c.document, c.principles, tuple(shots), c.source)
        chars = len(_text(revision_messages(sub, longest, CONV, "x" * 400)))
        assert chars < 3500, (c.few_shot[i].id, chars)
