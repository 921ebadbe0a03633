from study.conditions.base import Clean, Condition, known_condition_kinds, parse_condition, register_condition_kind
from study.conditions.spec import ConditionSpec, finetune_condition, parse_condition_spec

__all__ = ["Clean", "Condition", "ConditionSpec", "finetune_condition", "known_condition_kinds", "parse_condition",
           "parse_condition_spec", "register_condition_kind"]
