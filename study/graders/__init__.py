"""Graders: turn (conversation, response, rubric/references) into a score in [0, 1].

Offline graders use rules plus the embedded all-MiniLM-L6-v2 sentence model
(loaded once per process, on first use); ``LLMJudgeGrader`` uses any chat
backend. All share :class:`Grader`: ``grade(requests) -> list[Grade]``.
Build them by name with ``get_grader(name, **config)``.
"""

from study.graders._embed import Embedder, MiniLMEmbedder, default_embedder, load_minilm
from study.graders._harm import HarmConfig, HarmfulnessGrader
from study.graders._helpful import GenericHelpfulnessGrader, HelpfulnessConfig
from study.graders._judge import JudgeConfig, LLMJudgeGrader, LLMRefusalJudge, parse_verdict
from study.graders._labelled import (
    BinaryMetrics,
    as_request,
    binary_metrics,
    load_labelled,
    refusal_half,
    rubric_half,
)
from study.graders._penalties import PenaltyConfig
from study.graders._refusal import RefusalConfig, RefusalDetector, is_refusal
from study.graders._registry import CACHE, CachedGrader, GradeCache, get_grader, register_grader, registered_graders
from study.graders._rubric import OfflineRubricGrader, RubricConfig
from study.graders._types import ChatBackend, Grade, Grader, GradeRequest

register_grader(RefusalDetector.name)(RefusalDetector)
register_grader(OfflineRubricGrader.name)(OfflineRubricGrader)
register_grader(HarmfulnessGrader.name)(HarmfulnessGrader)
register_grader(GenericHelpfulnessGrader.name)(GenericHelpfulnessGrader)
register_grader(LLMJudgeGrader.name)(LLMJudgeGrader)
register_grader(LLMRefusalJudge.name)(LLMRefusalJudge)

from study.graders._provenance import grader_provenance, refusal_agreement  # noqa: E402

__all__ = [
    "BinaryMetrics", "CACHE", "CachedGrader", "ChatBackend", "Embedder", "GenericHelpfulnessGrader", "Grade",
    "GradeCache", "GradeRequest", "Grader", "HarmConfig", "HarmfulnessGrader", "HelpfulnessConfig", "JudgeConfig",
    "LLMJudgeGrader", "LLMRefusalJudge", "MiniLMEmbedder", "OfflineRubricGrader", "PenaltyConfig", "RefusalConfig", "RefusalDetector",
    "RubricConfig", "as_request", "binary_metrics", "default_embedder", "get_grader", "grader_provenance", "is_refusal", "refusal_agreement",
    "load_labelled", "load_minilm", "parse_verdict", "refusal_half", "register_grader", "registered_graders",
    "rubric_half",
]
