"""Where a study's cells run: ``local`` (this process), ``ray`` (Ray tasks), ``slurm`` (submitit jobs).

Third parties add one under the entry-point group ``alignment_study.executors``.
Every executor writes cells through :meth:`study.runner.StudyRunner.execute`
(``cells/.<id>.partial`` renamed when finished), so the results are the same
files whichever executor ran them, and finished cells are never recomputed.
"""

from study.executors.base import CellFailedError, cell_resources, sbatch_options
from study.executors.config import ExecutorConfig
from study.executors.hardware import PROFILES, HardwareProfile, get_profile
from study.executors.registry import GROUP, get_executor, known_executors, register_executor

__all__ = ["GROUP", "PROFILES", "CellFailedError", "ExecutorConfig", "HardwareProfile", "cell_resources", "get_executor",
           "get_profile", "known_executors", "register_executor", "sbatch_options"]
