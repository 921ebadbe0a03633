from study.conditions.base import Clean, Condition, known_condition_kinds, parse_condition, register_condition_kind

__all__ = ["Clean", "Condition", "known_condition_kinds", "parse_condition", "register_condition_kind"]
