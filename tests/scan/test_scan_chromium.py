"""The dashboard rendered by real headless Chromium: the script runs, sorts, filters, opens.

`--dump-dom` prints the document after its scripts ran; the view is chosen through the page's
address (``#sort=errors&dir=desc``), as a user's shared link would. A screenshot proves the
table is painted in the three readiness colours. Skipped where no Chromium is installed
(`apt-get install chromium`; `.ci/run` installs it).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from .conftest import Org

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
# the colours of dashboard.css (--red, --yellow, --green)
RED, YELLOW, GREEN = (0xD1, 0x24, 0x2F), (0xE3, 0xB3, 0x41), (0x2D, 0xA4, 0x4E)


@pytest.fixture(scope="module")
def chromium() -> str:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    return CHROMIUM


@pytest.fixture()
def page(org: Org, run_cli) -> Path:
    targets = ["clean", "findings", "plain", "broken", "missing"]
    run_cli("scan", *targets, "-o", "out", "-q", cwd=org.root)
    return org.root / "out/scan.html"


def run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def dom(chromium: str, page: Path, tmp_path: Path, view: str = "") -> str:
    url = page.as_uri() + (f"#{view}" if view else "")
    return run_chromium(chromium, tmp_path / "profile", "--dump-dom", url).stdout


def order(rendered: str) -> list[str]:
    return re.findall(r'<th scope="row" data-v="([^"]*)">', rendered)


def test_the_script_runs_and_counts_the_rows(chromium: str, page: Path, tmp_path) -> None:
    rendered = dom(chromium, page, tmp_path)
    assert 'data-ready="true"' in rendered  # set by the script's last line
    assert order(rendered) == ["broken", "clean", "findings", "missing", "plain"]
    assert '<span id="shown">5 of 5 repositories shown</span>' in rendered
    for colour in ("red", "yellow", "green", "none"):
        assert f'class="c c-{colour}"' in rendered


def test_sorting_by_errors_and_by_name(chromium: str, page: Path, tmp_path) -> None:
    by_errors = order(dom(chromium, page, tmp_path, "sort=errors&dir=desc"))
    assert by_errors[0] == "findings"  # the only repository with an error finding
    assert by_errors[1:] == ["broken", "clean", "missing", "plain"]  # ties keep target order
    assert order(dom(chromium, page, tmp_path, "sort=target&dir=desc")) == [
        "plain",
        "missing",
        "findings",
        "clean",
        "broken",
    ]
    by_status = order(dom(chromium, page, tmp_path, "sort=status&dir=desc"))
    assert by_status[:2] == ["broken", "missing"]  # errors first


def test_filtering_and_drill_down(chromium: str, page: Path, tmp_path) -> None:
    rendered = dom(chromium, page, tmp_path, "status=error&open=all")
    tags = re.findall(r'<tbody class="repo"[^>]*>', rendered)
    visible = [re.search(r'data-status="(\w+)"', t)[1] for t in tags if " hidden" not in t]
    assert (len(tags), visible) == (5, ["error", "error"])
    assert '<span id="shown">2 of 5 repositories shown</span>' in rendered
    assert '<tr class="drill" hidden' not in rendered  # open=all opened every drill-down
    assert "missing: no such folder" in rendered
    by_text = dom(chromium, page, tmp_path, "q=acme101")  # a rule code: only `findings` has it
    assert '<span id="shown">1 of 5 repositories shown</span>' in by_text


def test_the_screenshot_shows_the_three_colours(chromium: str, page: Path, tmp_path) -> None:
    shot = tmp_path / "scan.png"
    run_chromium(chromium, tmp_path / "profile", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file() and shot.stat().st_size > 1000
    width, height, pixels = read_png(shot)
    assert (width, height) == (1400, 1000)
    colours = set(pixels)
    for colour in (RED, YELLOW, GREEN):
        assert colour in colours


def read_png(path: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0) and colour_type in (2, 6)
    channels = 4 if colour_type == 6 else 3
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), prev, channels)
        rows.append(row)
        prev = row
    pixels = [(row[x], row[x + 1], row[x + 2]) for row in rows for x in range(0, stride, channels)]
    return width, height, pixels


def _unfilter(kind: int, row: bytearray, prev: bytearray, bpp: int) -> bytearray:
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[i] = (row[i] + pred) & 0xFF
    return row
