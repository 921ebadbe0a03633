import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures.synthetic_run import SyntheticSpec, write_run  # noqa: E402


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("run") / "r", SyntheticSpec(dose_arms={"trait-rl-d10": 0.10, "trait-rl-d25": 0.25}))


@pytest.fixture(scope="session")
def analysed(run_dir):
    from study.stats import analyse
    return analyse(run_dir, rng_seed=0, n_boot=300)
