import pytest

from study.errors import BackendError, ConfigError, DataError
from study.graders import GradeRequest, LLMJudgeGrader, get_grader, parse_verdict


class FakeBackend:
    """Answers from a script; records what it was asked."""

    def __init__(self, replies):
        self.replies, self.calls = list(replies), []

    def generate(self, conversations, max_new_tokens, temperature, seed):
        self.calls.append((conversations, max_new_tokens, temperature, seed))
        return [self.replies.pop(0) for _ in conversations]


def req(rubric=("Be polite", "Be correct"), **kw):
    return GradeRequest(prompt=[{"role": "user", "content": "Is 17 prime?"}], response="Yes, 17 is prime.",
                        rubric=rubric, **kw)


@pytest.mark.parametrize("text,expected", [
    ("The reply is polite.\nVERDICT: YES", 1.0),
    ("verdict: no", 0.0),
    ("**Verdict:** **Yes**", 1.0),
    ("Reasoning...\nYES", 1.0),
    ("No.", 0.0),
    ("I think so", None),
    ("", None),
    ("VERDICT: YES\nVERDICT: NO", None),
    ("Yes and no, it depends", None),
])
def test_parse_binary(text, expected):
    assert parse_verdict(text, "binary") == expected


@pytest.mark.parametrize("text,expected", [
    ("SCORE: 5", 1.0), ("score: 1", 0.0), ("Score = 3/5", 0.5), ("4", 0.75),
    ("SCORE: 7", None), ("SCORE: 4.5", None), ("nothing here", None), ("SCORE: 2\nSCORE: 4", None),
])
def test_parse_likert(text, expected):
    assert parse_verdict(text, "likert5") == expected


def test_unknown_scale():
    with pytest.raises(ConfigError, match="scale"):
        parse_verdict("YES", "ternary")


def test_score_is_mean_of_lines_and_garbage_counts_half():
    backend = FakeBackend(["VERDICT: YES", "VERDICT: NO", "VERDICT: YES", "lorem ipsum \x00\x01 ???"])
    g = LLMJudgeGrader(backend)
    grades = g.grade([req(), req()])
    assert grades[0].score == pytest.approx(0.5)
    assert grades[0].detail["unparsed"] == 0
    assert grades[1].score == pytest.approx(0.75)
    assert grades[1].detail["unparsed"] == 1
    assert len(backend.calls) == 1 and len(backend.calls[0][0]) == 4  # one batched call


def test_judge_prompt_has_format_line_and_references():
    backend = FakeBackend(["SCORE: 5"])
    g = get_grader("llm-judge", backend=backend, scale="likert5", seed=7, max_new_tokens=64)
    g.grade([req(rubric=("Be correct",), good="GOODREF", bad="BADREF")])
    convs, max_new, temp, seed = backend.calls[0]
    user = convs[0][-1]["content"]
    assert "SCORE: N" in user and "GOODREF" in user and "BADREF" in user and "Be correct" in user
    assert (max_new, temp, seed) == (64, 0.0, 7)


def test_judge_is_not_cached():
    g = get_grader("llm-judge", backend=FakeBackend([]))
    assert isinstance(g, LLMJudgeGrader)


def test_judge_errors():
    with pytest.raises(ConfigError, match="backend"):
        get_grader("llm-judge")
    with pytest.raises(DataError, match="no rubric lines"):
        LLMJudgeGrader(FakeBackend([])).grade([req(rubric=())])

    class Short(FakeBackend):
        def generate(self, conversations, *a):
            return ["VERDICT: YES"]

    with pytest.raises(BackendError, match="1 replies for 2"):
        LLMJudgeGrader(Short([])).grade([req()])
