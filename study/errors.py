"""User-facing errors.

Every mistake a user can make (bad config, malformed data line, unknown name,
missing model, budget too small) raises a subclass of :class:`StudyError` whose
message is one line naming the file or field and the fix. The CLI prints that
line and exits with code 2; anything else is a bug and keeps its traceback.
"""


class StudyError(Exception):
    """A user mistake or an unusable environment, explained in one line."""


class ConfigError(StudyError):
    """A config file or field is invalid."""


class DataError(StudyError):
    """A data file (JSONL, YAML, archive) is malformed or missing."""


class UnknownNameError(StudyError):
    """A name (method, benchmark, condition, grader...) is not registered."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...]):
        self.kind, self.name, self.known = kind, name, sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known {kind}s: {', '.join(self.known) or '(none)'}")


class ModelNotFoundError(StudyError):
    """A model spec cannot be resolved offline."""


class BudgetExceededError(StudyError):
    """A compute budget was spent."""


class BudgetTooSmallError(StudyError):
    """A compute budget cannot pay for even one unit of work."""


class BackendError(StudyError):
    """An API backend kept failing or is misconfigured (e.g. missing key)."""
