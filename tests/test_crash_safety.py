"""Crash safety: a run killed mid-write leaves the input and the previous output exactly as they were.

Writes go to a dot-prefixed temp file beside the target (".clean.csv.XXXX.tmp") and replace it in one
rename, so a SIGKILL can leave that temp file behind but never a half-written target.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from custclean.errors import OutputError
from custclean.io.safe_write import atomic_path

ROWS = 300_000


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _big_input(path: Path) -> None:
    """Few distinct values, so the run spends its time writing, which is where it is killed."""
    names = ["Hélène", "Jérôme", "Nguyễn Văn An", "ROBERT smith", "Ştefan", "Zoë"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Nom,Ville,Notes\n")
        out.writelines(f"{names[i % 6]},Lyon {i % 97},note {i % 13}\n" for i in range(ROWS))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_mid_write_keeps_input_and_previous_output(tmp_path):
    source = tmp_path / "clients.csv"
    _big_input(source)
    before = _digest(source)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "clean.csv"
    target.write_bytes(b"ID,Nom\nprevious,version\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "custclean", "normalize", str(source), "-o", str(target), "--only", "text", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size > 0 for p in out_dir.glob(".clean.csv.*.tmp")):
        assert process.poll() is None, "the run ended before it could be killed mid-write"
        assert time.monotonic() < deadline, "no temp file appeared"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"ID,Nom\nprevious,version\n"
    assert _digest(source) == before
    leftovers = sorted(p.name for p in out_dir.iterdir() if p != target)
    assert leftovers
    assert all(n.startswith(".clean.csv.") and n.endswith(".tmp") for n in leftovers)


def test_an_error_mid_write_removes_the_temp_file(tmp_path):
    target = tmp_path / "clean.csv"
    target.write_text("previous")
    def half_written() -> None:
        with atomic_path(target) as tmp:
            tmp.write_text("half a fi")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        half_written()
    assert target.read_text() == "previous"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_path_refuses_a_missing_folder(tmp_path):
    with pytest.raises(OutputError, match=r"folder does not exist; nothing was written"), \
            atomic_path(tmp_path / "nope" / "x.csv"):
        pass
