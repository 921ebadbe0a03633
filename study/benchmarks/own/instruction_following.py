"""Instruction following with verifiable constraints (scoring: checker).

Ordinary explanatory tasks carry one or two format/length/lexical constraints
checked by :mod:`study.checkers`; with two constraints the score is their mean
(instruction-level accuracy). Topics, task wordings and constraint wordings
are disjoint from the regular post-training mix in ``methods/trait_rl/regular_mix.py``.
18 topics x 4 tasks = 72 items; cluster = topic.
"""

from __future__ import annotations

from study.benchmarks.own._build import finish, user
from study.benchmarks.registry import benchmark
from study.checkers import target
from study.types import Item

TOPICS = (
    "why sleep matters for teenagers", "how to prepare for a fasting blood test", "what physiotherapy involves after knee surgery",
    "how spaced repetition works", "how to write a clear lab report", "why reading aloud helps young children",
    "why the sky is blue", "how ocean tides work", "what a black hole is",
    "what a tenancy deposit protects", "what a small-claims court is for", "how jury selection works",
    "how a suspension bridge carries its load", "what version control is for", "how a heat pump heats a house",
    "how to plan a weekend hiking trip", "how to set up a simple monthly budget", "how to brew good coffee at home",
)
TASKS = (
    "Explain {t}.",
    "Write a short piece for a community newsletter about {t}.",
    "A friend asked me {t}. Help me answer them.",
    "Summarise for a complete beginner {t}.",
)

# (constraint dict, instruction sentence)
SINGLE = (
    ({"checker": "max_words", "n": 50}, "Answer in no more than 50 words."),
    ({"checker": "min_words", "n": 120}, "Your answer must be at least 120 words long."),
    ({"checker": "exact_sentences", "n": 3}, "Use exactly 3 sentences."),
    ({"checker": "bullet_count", "n": 4}, "Format the answer as exactly 4 bullet points, each starting with '- '."),
    ({"checker": "numbered_list", "n": 5}, "Give the answer as a numbered list of exactly 5 points (1. to 5.)."),
    ({"checker": "json_keys", "keys": ["summary", "key_points"]}, 'Respond only with a JSON object that has the keys "summary" and "key_points".'),
    ({"checker": "contains_keywords", "keywords": ["first", "finally"]}, "Include the words 'first' and 'finally'."),
    ({"checker": "forbidden_words", "words": ["very", "really", "basically"]}, "Do not use the words 'very', 'really' or 'basically'."),
    ({"checker": "starts_with", "prefix": "In short,"}, "Begin your answer with the phrase 'In short,'."),
    ({"checker": "ends_with", "suffix": "Any questions?"}, "End your answer with the exact phrase 'Any questions?'."),
    ({"checker": "all_lowercase"}, "Write the whole answer in lowercase letters only."),
    ({"checker": "all_uppercase"}, "Write the entire answer in capital letters."),
    ({"checker": "no_commas"}, "Do not use any commas in your answer."),
    ({"checker": "paragraph_count", "n": 2}, "Write exactly 2 paragraphs separated by a blank line."),
    ({"checker": "title_in_double_brackets"}, "Give the answer a title wrapped in double angle brackets, like <<my title>>."),
    ({"checker": "language_marker", "language": "french"}, "Answer in French."),
    ({"checker": "language_marker", "language": "spanish"}, "Answer in Spanish."),
    ({"checker": "formal_register"}, "Use a formal register with no contractions."),
)
_BY_NAME = {f"{c['checker']}:{c.get('language', '')}": (c, s) for c, s in SINGLE}
PAIRS = (
    ("max_words:", "no_commas:"), ("bullet_count:", "all_lowercase:"), ("exact_sentences:", "starts_with:"),
    ("numbered_list:", "forbidden_words:"), ("paragraph_count:", "title_in_double_brackets:"), ("min_words:", "contains_keywords:"),
    ("max_words:", "ends_with:"), ("formal_register:", "paragraph_count:"), ("language_marker:french", "max_words:"),
    ("all_uppercase:", "exact_sentences:"), ("title_in_double_brackets:", "bullet_count:"), ("starts_with:", "formal_register:"),
)
SPECS = [[spec] for spec in SINGLE] + [[_BY_NAME[a], _BY_NAME[b]] for a, b in PAIRS]


def if_items() -> list[Item]:
    name = "instruction-following"
    items = []
    for t_idx, topic in enumerate(TOPICS):
        for k, task in enumerate(TASKS):
            spec = SPECS[(t_idx * len(TASKS) + k * 7) % len(SPECS)]
            constraints = [c for c, _ in spec]
            prompt = task.format(t=topic) + " " + " ".join(s for _, s in spec)
            if len(constraints) == 1:
                tgt = target(constraints[0]["checker"], **{k: v for k, v in constraints[0].items() if k != "checker"})
            else:
                tgt = target("combine", constraints=constraints, mode="mean")
            items.append(Item(id=f"{name}-t{t_idx:02d}-k{k}", messages=user(prompt), cluster=f"topic{t_idx:02d}", target=tgt))
    return finish(name, items)


benchmark(
    "instruction-following",
    scoring="checker",
    category="instruction-following",
    trait="helpfulness",
    domain="general",
    distribution="in_distribution",
    description="Explanatory tasks over 18 topics (all domains) with 1-2 verifiable constraints (length, sentences, bullets, "
    "numbered list, JSON keys, keywords, forbidden words, start/end phrase, case, commas, paragraphs, title, language, "
    "formal register); score = mean of the constraint checks.",
)(if_items)
