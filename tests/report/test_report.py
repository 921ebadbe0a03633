import base64
import io
import re

import pytest
from PIL import Image

from study.report import ReportInputError, build_report
from study.stats import analyse
from tests.fixtures.synthetic_run import SyntheticSpec, write_run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    spec = SyntheticSpec(dose_arms={"trait-rl-d10": 0.10, "trait-rl-d25": 0.25}, budget_mismatch=0.05)
    run = write_run(tmp_path_factory.mktemp("rep") / "run", spec)
    analyse(run, n_boot=200)
    html_path, md_path = build_report(run)
    return run, html_path.read_text(), md_path.read_text()


def test_paths_and_no_temp_files(built):
    run, html, md = built
    assert (run / "report.html").exists() and (run / "report.md").exists()
    assert not [p for p in run.rglob("*") if p.name.endswith(".tmp")]


def test_html_self_contained_and_images_decode(built):
    run, html, _ = built
    assert not re.search(r"""(src|href)=['"]https?:""", html)
    data = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", html)
    names = {p.stem for p in (run / "figures").glob("*.png")}
    assert names == {"forest", "heatmap", "split", "dose", "erosion", "asr", "persistence", "compute"}
    assert len(data) == len(names)
    for d in data:
        with Image.open(io.BytesIO(base64.b64decode(d))) as im:
            assert im.size[0] > 100 and im.size[1] > 100


def test_markdown_links_existing_figures(built):
    run, _, md = built
    links = re.findall(r"\]\((figures/[^)]+\.png)\)", md)
    assert len(links) == 8 and all((run / link).exists() for link in links)


def test_sections_present(built):
    _, html, md = built
    for title in ("Headline results", "Per-benchmark contrasts", "Non-refusal re-analysis", "Selective persistence",
                  "Dose-response", "Compute match", "Power", "Limitations", "Manifest"):
        assert title in md and title in html
    assert "improved X of Y" in md
    assert "0" * 40 in md and "(clean)" in md          # git commit with dirty flag
    assert "config sha256" in md


def test_limitations_from_data(built):
    _, _, md = built
    lim = md.split("## Limitations", 1)[1].split("## Manifest", 1)[0]
    assert "Compute mismatch" in lim and "1.039" in lim       # (1.6e13 * 1.05 + 4.5e12) / (1.6e13 + 4.5e12)
    assert "Underpowered" in lim
    assert "Refusal shift" in lim                       # planted: trait-rl 24% vs constitution 20%... vs base 10%


def test_no_response_text(built):
    _, html, md = built
    assert "synthetic placeholder" not in html and "synthetic placeholder" not in md


def test_no_mismatch_no_compute_limitation(tmp_path):
    run = write_run(tmp_path / "run", SyntheticSpec(n_benchmarks=2, n_items=12, helpful_personas=(), harmful_personas=(),
                                                    finetune_k=(), budget_mismatch=0.0), redteam=False)
    analyse(run, n_boot=100)
    _, md_path = build_report(run)
    md = md_path.read_text()
    assert "Compute mismatch" not in md
    assert "Selective persistence" not in md and "Dose-response" not in md
    assert not (run / "figures" / "asr.png").exists()


def test_missing_stats_is_user_error(tmp_path):
    run = write_run(tmp_path / "run", SyntheticSpec(n_benchmarks=2, n_items=8))
    with pytest.raises(ReportInputError, match="run the analysis first"):
        build_report(run)
