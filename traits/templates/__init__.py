"""Built-in scenario templates, one module per trait. Each template is a cluster."""

from traits.templates import (
    corrigibility,
    epistemic_humility,
    fairness,
    harmlessness,
    non_sycophancy,
    privacy,
    transparency,
    truthfulness,
    well_being,
)
from traits.templates._template import Frame, Template

_MODULES = (truthfulness, epistemic_humility, corrigibility, transparency, fairness, well_being, non_sycophancy, harmlessness, privacy)
TEMPLATES: tuple[Template, ...] = tuple(t for module in _MODULES for t in module.TEMPLATES)

__all__ = ["TEMPLATES", "Frame", "Template"]
