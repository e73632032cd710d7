"""report.html in a real browser: headless Debian chromium loads it without a console message,
renders hostile cells as text, and takes a non-blank screenshot (tests/artifacts/report.png).

Dependency-free: chromium's own flags do the work. `--enable-logging=stderr --v=0` prints every
console message (errors, CSP violations, failed loads) as an `INFO:CONSOLE` line; the page has no
script, so any such line is a problem. `--dump-dom` gives the DOM after parsing.
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from custclean.report.html import write_html
from tests.report.conftest import HOSTILE

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?(?::\d+)?\]\s*(.*)")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def _chromium(tmp_path: Path, page: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0", *flags, page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def console_messages(stderr: str) -> list[str]:
    return [m.group(1) for m in map(CONSOLE.search, stderr.splitlines()) if m]


def png_pixels(path: Path) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct RGB(A) pixel values of an 8-bit PNG (stdlib only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        header = chunk if kind == b"IHDR" else header
        idat += chunk if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    assert colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    colours: set[bytes] = set()
    for y in range(0, height, 7):                   # filter byte 0 rows read as is; others still vary
        line = raw[y * stride + 1:(y + 1) * stride]
        colours.update(line[x:x + channels] for x in range(0, len(line), channels * 13))
    return width, height, colours


def test_console_detector_sees_errors(tmp_path: Path) -> None:
    """The check below could fail: a page with a script error is caught."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('boom'); missing();</script></body></html>")
    messages = console_messages(_chromium(tmp_path, page, "--dump-dom").stderr)
    assert any("boom" in m for m in messages)
    assert any("missing" in m for m in messages)


def test_report_loads_cleanly_and_screenshot_is_not_blank(report_folder: Path, tmp_path: Path) -> None:
    page = write_html(report_folder)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    run = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert console_messages(run.stderr) == []
    width, height, colours = png_pixels(shot)
    assert (width, height) == (1280, 2000)
    assert len(colours) > 20, "screenshot looks blank"


def test_hostile_cells_stay_text_in_the_dom(report_folder: Path, tmp_path: Path) -> None:
    page = write_html(report_folder)
    run = _chromium(tmp_path, page, "--dump-dom")
    assert console_messages(run.stderr) == []
    dom = run.stdout
    assert "<title>custclean clean report</title>" in dom        # no cell changed the title
    assert "<script" not in dom
    assert "<img" not in dom
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;") in dom
