"""Trait specs, domains and trait-testing scenarios (the trait-RL training data).

Public API::

    load_traits(paths=None) -> dict[str, Trait]
    load_domains(paths=None) -> dict[str, Domain]
    load_scenarios(split=None, traits=None, domains=None, exclude_domains=None, path=None, *, seed=0, ...) -> list[Scenario]
    generate_scenarios(seed=0, ...) -> list[Scenario]
    read_scenarios(path, ...) / write_scenarios(path, scenarios)
    generate_with_llm(backend, trait, domain, n, ...) -> LLMGenerationReport
"""

from traits._spec import CORE_DOMAINS, CORE_TRAITS, Domain, Trait, load_domains, load_traits
from traits.generator import generate_scenarios
from traits.llm_generator import ChatBackend, LLMGenerationReport, generate_with_llm
from traits.loader import load_scenarios, read_scenarios, write_scenarios
from traits.scenario import SPLITS, Scenario

__all__ = [
    "CORE_DOMAINS",
    "CORE_TRAITS",
    "SPLITS",
    "ChatBackend",
    "Domain",
    "LLMGenerationReport",
    "Scenario",
    "Trait",
    "generate_scenarios",
    "generate_with_llm",
    "load_domains",
    "load_scenarios",
    "load_traits",
    "read_scenarios",
    "write_scenarios",
]
