"""Method plugins: each turns a base model + budget into a checkpoint."""

from methods.base import Checkpoint, Method
from methods.registry import get_method, known_methods, register_method

__all__ = ["Checkpoint", "Method", "get_method", "known_methods", "register_method"]
