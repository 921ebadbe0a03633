"""Method plugins: each turns a base model + budget into a checkpoint."""

from methods.base import Checkpoint, Method
from methods.inputs import check_method_inputs
from methods.registry import get_method, known_methods, method_and_config, register_method, require_one_step

__all__ = ["Checkpoint", "Method", "check_method_inputs", "get_method", "known_methods", "method_and_config", "register_method",
           "require_one_step"]
