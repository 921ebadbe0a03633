"""Open a run's report.html in real headless Chromium and check every figure decodes.

    /work/venv/bin/python scripts/check_report_html.py RUN_DIR [--screenshot out.png]

Steps: (1) copy report.html to a temporary directory with a small inline probe
script that, on window load, records each <img>'s naturalWidth/naturalHeight
as attributes; (2) run ``chromium --headless --dump-dom`` on it and parse the
recorded sizes; (3) take a full-width screenshot with ``--screenshot``;
(4) decode every embedded data: URI with Pillow as a second opinion.
Exit code 0 when every image has naturalWidth > 0, 1 otherwise, 2 on usage error.
Needs the Debian package ``chromium`` (apt-get install -y chromium); not part of
the pytest suite.
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = document.getElementsByTagName('img');
  for (var i = 0; i < imgs.length; i++) {
    imgs[i].setAttribute('data-probe', imgs[i].naturalWidth + 'x' + imgs[i].naturalHeight + ':' + imgs[i].complete);
  }
  document.body.setAttribute('data-probe-done', String(imgs.length));
});
</script>"""

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-extensions", "--hide-scrollbars"]


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    sys.exit("chromium not found; install it with: apt-get update && apt-get install -y chromium")


def run_chromium(binary: str, profile: str, args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    cmd = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def decode_embedded(html: str) -> list[tuple[int, int]]:
    sizes = []
    for data in re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", html):
        with Image.open(io.BytesIO(base64.b64decode(data))) as im:
            im.load()
            sizes.append(im.size)
    return sizes


def main() -> int:
    ap = argparse.ArgumentParser(description="Check report.html in headless Chromium.")
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--screenshot", type=Path, default=None, help="where to save the screenshot (default RUN_DIR/report_screenshot.png)")
    ap.add_argument("--height", type=int, default=4000, help="screenshot window height in pixels")
    args = ap.parse_args()
    report = args.run_dir / "report.html"
    if not report.exists():
        print(f"{report}: not found; build the report first", file=sys.stderr)
        return 2
    html = report.read_text(encoding="utf-8")
    external = re.findall(r"""(?:src|href)=['"](https?:)""", html)
    binary = chromium_binary()
    shot = (args.screenshot or args.run_dir / "report_screenshot.png").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "report.html"
        probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        dom = run_chromium(binary, str(Path(tmp) / "profile1"), ["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()])
        run_chromium(binary, str(Path(tmp) / "profile2"), [f"--window-size=1280,{args.height}", f"--screenshot={shot}", report.resolve().as_uri()])
    probes = re.findall(r'data-probe="(\d+)x(\d+):(\w+)"', dom.stdout)
    done = re.search(r'data-probe-done="(\d+)"', dom.stdout)
    n_img = html.count("<img ")
    decoded = decode_embedded(html)
    print(f"images in report.html: {n_img}; decoded by Pillow: {len(decoded)}; probed in Chromium: {len(probes)}")
    for i, (w, h, complete) in enumerate(probes):
        print(f"  img {i}: naturalWidth={w} naturalHeight={h} complete={complete}")
    ok = bool(done) and len(probes) == n_img and all(int(w) > 0 for w, _, _ in probes) and len(decoded) == n_img
    if external:
        print(f"external references found: {len(external)} (report must be self-contained)")
        ok = False
    print(f"screenshot: {shot}" + ("" if shot.exists() else " (not written)"))
    if not done:
        print("probe did not run; chromium stderr tail:\n" + "\n".join(dom.stderr.splitlines()[-5:]))
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
