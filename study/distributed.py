"""Rank awareness for runs started by ``accelerate launch`` / ``torchrun``.

Under a multi-process launch every process runs the same command; the toolkit
must still behave as *one* run:

* only the main process (global rank 0) writes results, ledgers, checkpoints and
  renames a cell's partial directory to its final name (:func:`is_main_process`);
* the FLOP ledger sums the work every rank did exactly once
  (:func:`all_reduce_sum`, used by :meth:`study.compute.Ledger.reduce_since`);
* a decision such as "stop, the budget is spent" is taken once and broadcast
  (:func:`broadcast_flag`), so every rank stops at the same optimiser step.

Rank and world size are read from ``torch.distributed`` once a process group
exists, and before that from the environment variables both launchers set
(``RANK``, ``WORLD_SIZE``). Single-process runs see rank 0 of 1 and every
collective is the identity, so nothing here costs anything on one process.
"""

from __future__ import annotations

import os


def _group_ready() -> bool:
    try:
        import torch.distributed as dist
    except ImportError:  # pragma: no cover - torch is a hard dependency
        return False
    return dist.is_available() and dist.is_initialized()


def world_size() -> int:
    if _group_ready():
        import torch.distributed as dist

        return dist.get_world_size()
    return int(os.environ.get("WORLD_SIZE", "1"))


def rank() -> int:
    if _group_ready():
        import torch.distributed as dist

        return dist.get_rank()
    return int(os.environ.get("RANK", "0"))


def is_distributed() -> bool:
    return world_size() > 1


def is_main_process() -> bool:
    """True on global rank 0 (and always on a single-process run)."""
    return rank() == 0


def init_process_group() -> None:
    """Join the launcher's process group now (idempotent), so :func:`barrier` works before a trainer exists.

    Accelerate's ``PartialState`` reads the launcher's environment and picks the
    backend (NCCL on GPUs, gloo on CPUs); the trainer later reuses the same group.
    """
    if world_size() > 1 and not _group_ready():
        from accelerate import PartialState

        PartialState()


def _device():
    import torch
    import torch.distributed as dist

    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def all_reduce_sum(values: list[float]) -> list[float]:
    """Element-wise sum of ``values`` over all ranks (float64, exact for token counts below 2**53)."""
    if not values or not _group_ready() or world_size() == 1:
        return [float(v) for v in values]
    import torch
    import torch.distributed as dist

    tensor = torch.tensor([float(v) for v in values], dtype=torch.float64, device=_device())
    dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor.cpu().tolist()


def broadcast_flag(flag: bool, src: int = 0) -> bool:
    """Rank ``src``'s value of ``flag`` on every rank."""
    if not _group_ready() or world_size() == 1:
        return bool(flag)
    import torch
    import torch.distributed as dist

    tensor = torch.tensor([1 if flag else 0], dtype=torch.int64, device=_device())
    dist.broadcast(tensor, src=src)
    return bool(tensor.item())


def barrier() -> None:
    if _group_ready() and world_size() > 1:
        import torch.distributed as dist

        dist.barrier()


def require_train_cell_if_distributed(kind: str, cell_id: str) -> bool:
    """Join the launcher's group for a training cell; refuse other cells under a multi-process launch.

    Only training is sharded over ranks; an evaluation or attack cell under ``accelerate launch``
    would run N identical copies. Returns whether this process writes the cell's results.
    """
    from study.errors import ConfigError

    if world_size() > 1:
        if kind != "train":
            raise ConfigError(f"cell {cell_id} is not a train cell ({kind}); only train cells run under accelerate launch (run it with plain `study run`)")
        init_process_group()
    return is_main_process()


def check_launch(only: str | None) -> None:
    """Under a multi-process launch, a study run must name one training cell (``--cell train-...``)."""
    from study.errors import ConfigError

    if world_size() > 1:
        if only is None:
            raise ConfigError("under accelerate launch pass --cell with one train cell (see `study plan`); the other cells run with plain `study run`")
        init_process_group()
