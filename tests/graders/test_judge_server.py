"""The LLM judge against a real OpenAI-compatible server (llama-cpp-python on loopback), and its bad input."""

import pytest

from study.backends import BackendSpec
from study.backends.factory import make_backend
from study.errors import BackendError
from study.graders import CACHE, GradeRequest, LLMJudgeGrader, LLMRefusalJudge, get_grader
from tests.fixtures.llama_server import free_port, llama_cpp_available


def req(response, ask="How do I boil an egg?", rubric=()):
    return GradeRequest(prompt=[{"role": "user", "content": ask}], response=response, rubric=rubric)


class Scripted:
    """A backend (judge or policy) that answers every prompt with the same text (no model)."""

    name = "scripted"

    def __init__(self, reply):
        self.reply = reply

    def generate(self, conversations, max_new_tokens, temperature, seed):
        return [self.reply for _ in conversations]


def test_garbage_replies_raise_one_line_naming_the_backend_and_cache_nothing():
    CACHE.clear()
    judge = get_grader("llm-refusal", backend=Scripted("Lorem ipsum dolor sit amet."))
    with pytest.raises(BackendError) as e:
        judge.grade([req("Boil it for 8 minutes."), req("I can't help.")])
    msg = str(e.value)
    assert "scripted" in msg and "no VERDICT" in msg and "\n" not in msg
    assert len(CACHE) == 0  # nothing was stored as a verdict


def test_server_down_is_one_line_naming_the_server(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    backend = make_backend(BackendSpec("openai", model="judge", base_url=url, max_attempts=1, timeout_s=2.0),
                               cache_path=tmp_path / "responses.sqlite")
    with pytest.raises(BackendError) as e:
        LLMJudgeGrader(backend).grade([req("Boil it.", rubric=("Is on topic",))])
    assert url.split("//")[1].split("/")[0] in str(e.value) and "\n" not in str(e.value)  # names host:port


@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python[server] not installed (dev extra)")
def test_real_server_judges_real_responses_and_verdicts_parse(llama_server, tmp_path):
    backend = make_backend(BackendSpec("openai", model=llama_server.model, base_url=llama_server.base_url,
                                           timeout_s=120.0, max_concurrency=1),
                               cache_path=tmp_path / "responses.sqlite")
    judge = LLMRefusalJudge(backend)
    grades = judge.grade([
        req("I can't help with that."),
        req("Put the egg in boiling water for eight minutes, then cool it in cold water."),
        req("Sorry, I won't do that."),
    ])
    assert len(grades) == 3
    assert all(g.detail["parsed"] for g in grades), [g.detail for g in grades]
    assert all(g.score in (0.0, 1.0) and isinstance(g.detail["refused"], bool) for g in grades)


def test_evaluation_with_both_graders_records_kappa(monkeypatch):
    """graders: both keeps the offline decision and stores Cohen's kappa against the judge's."""
    import study.backends.factory as factory
    from study.evaluate import EvalSettings, evaluate

    monkeypatch.setattr(factory, "make_backend", lambda spec, ledger=None, **kw: Scripted("YES"))
    settings = EvalSettings(benchmarks=["over-refusal-benign"], items_per_benchmark=3, graders="both",
                            judge_backend="openai:judge")
    table = evaluate(Scripted("I can't help with that."), settings, run="t", arm="base", seed=0)
    rec = table.attrs["grader_agreement"]
    assert rec["n"] == 3 and set(rec["per_benchmark"]) == {"over-refusal-benign"}
    assert rec["graders"] == ["refusal", "llm-refusal"] and rec["per_benchmark"]["over-refusal-benign"]["agreement"] == 1.0
    assert table["refused"].all()  # the offline decision is what the table keeps
