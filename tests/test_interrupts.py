"""Interrupted and parallel builds: every asset is complete or the previous one, temporary
files do not outlive the next build, and parallel builds give the same bytes."""
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import DATA, ROOT, clean_env, run_make, snapshot
from tests.gif import read_gif

# (signal, seconds after the gd_line render process started: its imports take about
# 0.7 s and its GIF is written after about 1.4 s, so both points fall inside the render)
POINTS = [(signal.SIGINT, 0.3), (signal.SIGINT, 1.0), (signal.SIGKILL, 0.3), (signal.SIGKILL, 1.0)]


def complete(path: Path) -> bool:
    """Whether a file is whole: it parses to its end."""
    raw = path.read_bytes()
    if path.suffix == ".gif":
        read_gif(raw)
    elif path.suffix == ".png":
        with Image.open(path) as im:
            im.load()
    elif path.suffix == ".mp4":
        assert raw[4:8] == b"ftyp" and b"moov" in raw and b"mdat" in raw
    elif path.suffix == ".json":
        json.loads(raw)
    elif path.suffix == ".html":
        assert raw.rstrip().endswith(b"</html>")
    elif path.suffix == ".csv":
        assert raw.endswith(b"\n")
    return True


def running(fragment: str) -> bool:
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if fragment in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode():
                    return True
            except OSError:
                pass
    return False


def hear_interrupts() -> None:
    """In the build's process: take SIGINT as a terminal would deliver it. A test run
    started in the background by a shell without job control inherits SIGINT ignored,
    and the build would then not notice the interrupt this test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def changed_season(folder: Path) -> Path:
    season = folder / "season.csv"
    season.write_bytes(DATA.read_bytes().replace(b"Minnesota Twins,AL,Central,87,75",
                                                 b"Minnesota Twins,AL,Central,88,74"))
    return season


@pytest.mark.parametrize("sig, delay", POINTS, ids=[f"{s.name}-{d}s" for s, d in POINTS])
def test_an_interrupted_build_leaves_whole_files(built, tmp_path, sig, delay):
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(built), str(out)], check=True)
    previous = snapshot(out)
    season = changed_season(tmp_path)
    build = subprocess.Popen(["make", "--no-print-directory", "all", f"OUT={out}", f"DATA={season}"], cwd=ROOT,
                             env=clean_env(), start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, preexec_fn=hear_interrupts)
    deadline = time.monotonic() + 300
    while not running(f"scene gd_line --data {season}"):
        assert build.poll() is None and time.monotonic() < deadline, "the GIF render never started"
        time.sleep(0.05)
    time.sleep(delay)
    os.killpg(build.pid, sig)
    build.wait(timeout=120)

    for path in out.iterdir():
        if path.name.endswith(".tmp"):
            assert sig == signal.SIGKILL, f"{path.name}: a caught interrupt must clean up after itself"
            continue
        assert path.read_bytes() == previous.get(path.name) or complete(path), path.name
    # the GIF being drawn is the previous one, absent, or (on a machine fast enough to
    # finish it before the kill) the new one, whole; in every case the check calls it stale
    gif = out / "gd_line.gif"
    assert not gif.exists() or gif.read_bytes() == previous["gd_line.gif"] or complete(gif)
    check = run_make("-s", "check", f"OUT={out}", f"DATA={season}")
    assert check.returncode != 0
    assert any(line.startswith("stale: gd_line.gif:") for line in check.stdout.splitlines()), check.stdout

    again = run_make("all", f"OUT={out}", f"DATA={season}")
    assert again.returncode == 0, again.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert run_make("-s", "check", f"OUT={out}", f"DATA={season}").returncode == 0


def test_parallel_builds_give_the_same_bytes(built, tmp_path):
    expected = snapshot(built)
    for run in range(2):
        out = tmp_path / f"j4-{run}"
        result = run_make("-j4", "all", f"OUT={out}")
        assert result.returncode == 0, result.stderr
        assert snapshot(out) == expected


def test_two_builds_at_once_into_one_folder(built, tmp_path):
    out = tmp_path / "shared"
    builds = [subprocess.Popen(["make", "--no-print-directory", "all", f"OUT={out}"], cwd=ROOT, env=clean_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for build in builds:
        _, err = build.communicate(timeout=600)
        assert build.returncode == 0, err
    assert snapshot(out) == snapshot(built)
    assert all(complete(p) for p in out.iterdir())
