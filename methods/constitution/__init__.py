"""Constitution self-critique (Constitutional AI): SL-CAI critique/revision fine-tuning, then RL-CAI
preference training from AI feedback under sampled principles, on one FLOP budget."""

from methods.constitution.config import ConstitutionConfig
from methods.constitution.method import ConstitutionMethod

__all__ = ["ConstitutionConfig", "ConstitutionMethod"]
