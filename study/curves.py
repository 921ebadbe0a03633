"""Training curves from a trainer's log history: CSV plus a seaborn figure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from study.atomic import atomic_path, write_text


def history_frame(log_history: list[dict], keys: list[str]) -> pd.DataFrame:
    """Long (step, metric, value) rows for ``keys`` from ``trainer.state.log_history``."""
    rows = [{"step": h["step"], "metric": k, "value": float(h[k])} for h in log_history if "step" in h for k in keys if k in h]
    return pd.DataFrame(rows, columns=["step", "metric", "value"])


def write_curves(frame: pd.DataFrame, csv_path: Path, png_path: Path, title: str) -> pd.DataFrame:
    """Write long (step, metric, value) rows as CSV and a line plot per metric."""
    write_text(csv_path, frame.to_csv(index=False))
    if not frame.empty:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import seaborn as sns

        fig, ax = plt.subplots(figsize=(6, 3.5))
        sns.lineplot(data=frame, x="step", y="value", hue="metric", ax=ax)
        ax.set_title(title)
        fig.tight_layout()
        with atomic_path(png_path) as tmp:
            fig.savefig(tmp, format="png", dpi=100)
        plt.close(fig)
    return frame
