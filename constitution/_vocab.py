"""Closed vocabularies shared by the constitution data files."""

TRAIT_TAGS: tuple[str, ...] = (
    "truthfulness",
    "epistemic-humility",
    "corrigibility",
    "transparency",
    "fairness",
    "well-being",
    "harmlessness",
    "helpfulness",
)

DOMAINS: tuple[str, ...] = ("healthcare", "education", "science", "law", "engineering", "general")

PROMPT_KINDS: tuple[str, ...] = ("red_team", "helpful")
