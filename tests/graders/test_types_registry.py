import pytest

from study.errors import ConfigError, DataError, UnknownNameError
from study.graders import (
    CachedGrader,
    Grade,
    GradeCache,
    GradeRequest,
    RefusalConfig,
    RefusalDetector,
    get_grader,
    register_grader,
    registered_graders,
)


def req(response, prompt="hello", **kw):
    return GradeRequest(prompt=[{"role": "user", "content": prompt}], response=response, **kw)


def test_grade_score_must_be_in_unit_interval():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Grade(1.5, {})


def test_request_rejects_string_rubric():
    with pytest.raises(DataError, match="tuple of strings"):
        GradeRequest(prompt=[], response="x", rubric="Be concise")


def test_request_digest_is_stable_and_content_sensitive():
    a, b = req("hi", rubric=("x",)), req("hi", rubric=("x",))
    assert a.digest() == b.digest()
    assert a.digest() != req("hi", rubric=("y",)).digest()


def test_unknown_grader_lists_known_names():
    with pytest.raises(UnknownNameError, match="unknown grader 'nope'.*refusal"):
        get_grader("nope")


def test_all_graders_registered():
    assert {"refusal", "rubric-offline", "harm-proxy", "helpfulness", "llm-judge"} <= set(registered_graders())


def test_unknown_config_key_is_config_error():
    with pytest.raises(ConfigError, match="unknown config key.*'treshold'"):
        get_grader("refusal", treshold=0.3)


def test_invalid_config_value_is_config_error():
    with pytest.raises(ConfigError, match="threshold must be in"):
        get_grader("refusal", threshold=2.0)
    with pytest.raises(ConfigError, match="temperature must be > 0"):
        get_grader("rubric-offline", temperature=0.0)


def test_nested_config_from_dict(bow):
    g = get_grader("helpfulness", refusal={"threshold": 0.7}, embedder=bow, cache=False)
    assert g.config.refusal.threshold == 0.7


def test_duplicate_registration_is_refused():
    @register_grader("test-dup")
    class A:
        pass

    with pytest.raises(ValueError, match="already registered"):
        register_grader("test-dup")(type("B", (), {}))


def test_cache_serves_repeats_without_regrading(bow):
    calls = []

    class Counting(RefusalDetector):
        def grade(self, requests):
            calls.append(len(requests))
            return super().grade(requests)

    cache = GradeCache(maxsize=10)
    g = CachedGrader(Counting(RefusalConfig(design="rules"), bow), cache)
    rs = [req("I can't help with that."), req("Sure, Paris."), req("I can't help with that.")]
    first = g.grade(rs)
    assert calls == [2]  # duplicate inside the batch graded once
    second = g.grade(rs)
    assert calls == [2] and second == first and cache.hits >= 3


def test_cache_key_includes_config(bow):
    cache = GradeCache()
    a = CachedGrader(RefusalDetector.build(design="rules", threshold=0.1, embedder=bow), cache)
    b = CachedGrader(RefusalDetector.build(design="rules", threshold=0.9, embedder=bow), cache)
    r = [req("I'm sorry to hear that. Rest and drink water.")]
    a.grade(r), b.grade(r)
    assert len(cache) == 2


def test_cache_evicts_oldest():
    cache = GradeCache(maxsize=2)
    for i in range(3):
        cache.put(("g", "c", str(i)), Grade(0.5, {}))
    assert len(cache) == 2 and cache.get(("g", "c", "0")) is None
