"""Interrupted, starved and parallel builds: every asset is complete or the previous one,
an animation's files are replaced together, temporary files do not outlive the next
build, a full disk is one line naming the file, and parallel builds give the same bytes."""
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from render.pipeline import registry
from tests.conftest import DATA, ROOT, TEST_FORMATS, TEST_LAYOUTS, TEST_THEMES, clean_env, run_make, snapshot
from tests.gif import read_gif

# (signal, seconds after the build process started: its imports and the histories take
# about a second, its first files are in place after about two and the last after five,
# so the points fall before any render and in the middle of them)
POINTS = [(signal.SIGINT, 0.5), (signal.SIGINT, 2.5), (signal.SIGKILL, 0.5), (signal.SIGKILL, 2.5)]


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
    previous, before = snapshot(out), inodes(out)
    season = changed_season(tmp_path)
    build = subprocess.Popen(["make", "--no-print-directory", "all", f"OUT={out}", f"DATA={season}"], cwd=ROOT,
                             env=clean_env(), start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, preexec_fn=hear_interrupts)
    deadline = time.monotonic() + 300
    while not running(f"-m render build --data {season}"):
        assert build.poll() is None and time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    time.sleep(delay)
    os.killpg(build.pid, sig)
    build.wait(timeout=120)

    for path in out.iterdir():
        if path.name.endswith(".tmp"):
            assert sig == signal.SIGKILL, f"{path.name}: a caught interrupt must clean up after itself"
            continue
        assert path.read_bytes() == previous.get(path.name) or complete(path), path.name
    assert_replaced_together(out, before)
    # whatever was made before the interrupt is whole; the check calls every asset stale
    # (the data changed, or the file changed since the manifest was written)
    check = run_make("-s", "check", f"OUT={out}", f"DATA={season}")
    assert check.returncode != 0
    assert len(check.stdout.splitlines()) == len(registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS)), check.stdout
    if delay < 1 or sig != signal.SIGKILL:
        # stopped before any render, or by an interrupt the build heard (it removed its
        # temporary files, as checked above): nothing for the next build to clear
        return

    again = run_make("all", f"OUT={out}", f"DATA={season}")
    assert again.returncode == 0, again.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert run_make("-s", "check", f"OUT={out}", f"DATA={season}").returncode == 0


def inodes(folder: Path) -> dict[str, int]:
    """Each file's inode: a file put in place anew (renamed from a temporary) has another."""
    return {p.name: p.stat().st_ino for p in folder.iterdir()}


def assert_replaced_together(out: Path, previous: dict[str, int]) -> None:
    """Each render's files (those the tests' builds write: no AVIF) are all the previous
    ones or all new ones, never a mix."""
    now = inodes(out)
    for r in registry.renders(formats=TEST_FORMATS):
        files = r.files
        kept = [now.get(f) == previous.get(f) for f in files]
        assert all(kept) or not any(kept), (files, kept)


def test_make_j4_gives_the_same_bytes(built, tmp_path):
    # Four scene targets at once, sharing the history, the manifest and the pages: three
    # stills (two of the line's runs, one of the scaling runs) and the line's animation
    # (the other scenes would add only their drawing). The same bytes as the shared
    # one-target build.
    names = ["gd_loss", "gd_fit", "gd_scaling", "gd_line"]
    result = run_make("-j4", *names, f"OUT={tmp_path}")
    assert result.returncode == 0, result.stderr
    made = registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS, names=names)
    # three stills (PNG, 2x PNG, SVG each) and an animation (GIF, PNG and 2x PNG posters,
    # MP4): the tests' builds make no AVIF
    assert len(made) == 13 and all((tmp_path / f).read_bytes() == (built / f).read_bytes() for f in made)
    for history in ("history.csv", "history_scaling.csv"):
        assert (tmp_path / history).read_bytes() == (built / history).read_bytes()


@pytest.fixture
def small_disk(tmp_path):
    """A filesystem of its own, a little larger than a build, made for the test (as root)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)]).returncode:
        pytest.skip("needs root and mount to make a small filesystem")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)])


def test_a_full_disk_keeps_every_earlier_file_and_names_the_file(built, small_disk):
    out = small_disk / "out"
    shutil.copytree(built, out)
    previous, before = snapshot(out), inodes(out)
    # Leave room for the new histories and stills, not for every animation.
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 250_000))
    result = run_make("all", f"OUT={out}", "M0=-1", "B0=1.5")
    assert result.returncode == 2, result.stdout + result.stderr
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1, result.stderr
    assert re.fullmatch(rf"error: {re.escape(str(out))}/[\w.@-]+: No space left on device "
                        r"\(the previous files are unchanged\)", ours[0]), ours[0]
    assert "Traceback" not in result.stderr
    for name, data in previous.items():  # every earlier file is there, whole
        path = out / name
        assert path.exists(), name
        assert path.read_bytes() == data or complete(path), name
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert_replaced_together(out, before)
    check = run_make("-s", "check", f"OUT={out}", "M0=-1", "B0=1.5")
    assert check.returncode != 0  # what could not be made is named


def test_two_builds_at_once_into_one_folder(built, tmp_path):
    # One animation is enough to hold the lock a while: the second build waits for it.
    out = tmp_path / "shared"
    builds = [subprocess.Popen(["make", "--no-print-directory", "gd_line", f"OUT={out}"], cwd=ROOT, env=clean_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    said = []
    for build in builds:
        stdout, err = build.communicate(timeout=600)
        assert build.returncode == 0, err
        said.append(stdout.splitlines()[-1])
    assert all(complete(p) for p in out.iterdir())
    made = registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS, names=("gd_line",))
    assert {f: (out / f).read_bytes() for f in made} == {f: (built / f).read_bytes() for f in made}
    # one made them, the other found them made: nothing twice
    assert sorted(said) == [f"0 made, {len(made)} up to date", f"{len(made)} made, 0 up to date"]
