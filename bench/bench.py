"""`make bench`: the one-process build against the same assets made one process per asset,
against one bare start-up, and the frame pipeline against a matplotlib user's.

Each measure is a whole command timed from outside, start-up included, in a scratch copy
of the project (the working tree is never touched), the sides alternated round by round
so that drifts in the machine's load hit both alike:

- a clean build: `make all` (one `python -m render build`) against one process per
  recorded history and one per render (bench/per_asset.py), run one after another, as the
  Makefile used to run them; and against one bare start-up of the interpreter with numpy
  and matplotlib, the least any process that draws can cost;
- `make animations` from clean, against the line's history and one process per animation;
- the peer: gd_line's light render made by our pipeline (GIF, posters, MP4) against
  FuncAnimation saved with PillowWriter and FFMpegWriter at twice the dpi (bench/peer.py):
  frames per second while drawing and writing, and the process's peak memory;
- a rebuild after one scene's code changes, against the clean per-asset build;
- a no-op `make all`, which must start no Python;
- what the variants cost: a clean `make all` (light and dark, desktop and phone; every
  picture drawn at 2x) against a clean `make all THEMES=light LAYOUTS=desktop`;
- the pages as a phone gets them: Lighthouse's mobile preset on index.html and
  tutorial.html, served by `python -m http.server` (bench/pages.py);
- the live preview: `make serve` with a page open, from saving one scene's code or the
  data until the page shows what the save made, against a cold `make` of the same edit
  (bench/preview.py).

Prints a table with the targets; writes bench/last.json. Ratios, not seconds, are the
result: this 2-core machine is shared and noisy.
"""
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from render.pipeline import registry  # noqa: E402
import pages  # noqa: E402  (bench/pages.py, beside this file)
import preview  # noqa: E402  (bench/preview.py)
from render.engine import problems  # noqa: E402

PY = os.path.join(ROOT, ".venv", "bin", "python")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CHANGED_SCENE = "gd_fit"
#: (what, measured value's key, bound, "max" or "min")
TARGETS = [("clean build, one process / one per asset", "clean", 0.35, "max"),
           ("make animations, one process / one per asset", "animations", 0.45, "max"),
           (f"one scene changed ({CHANGED_SCENE}), rebuild / clean per-asset build", "one_scene", 0.2, "max"),
           ("clean build / one bare start-up", "clean_over_startup", 12, "max"),
           ("clean build / one bare start-up, stretch", "clean_over_startup", 10, "max"),
           ("peer: gd_line frames per second, ours / FuncAnimation's", "peer_fps", 8, "min"),
           ("peer: gd_line peak memory, ours / FuncAnimation's", "peer_peak_memory", 0.75, "max"),
           ("clean build, every theme and layout / light desktop only", "all_variants_over_one", 3.0, "max"),
           ("clean build, every theme and layout / light desktop only, stretch", "all_variants_over_one", 2.4,
            "max")]
STRETCH_CLEAN = 0.25
MAX_NOOP_S = 0.05
#: The least a process that draws can cost: the interpreter, numpy and matplotlib.
BARE_START = [PY, "-c", "import numpy, matplotlib.pyplot"]


def measured(cmd, cwd) -> tuple[float, int]:
    """A command's wall time (s) and peak memory (KiB, its own or its largest child's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_maxrss


def timed(cmd, cwd) -> float:
    return measured(cmd, cwd)[0]


def per_asset(project, out, names) -> float:
    """The assets of ``names``, one process per history and per asset, one after another."""
    os.makedirs(out)
    wall = 0.0
    needed = {registry.get(n).problem for n in names}
    for name in problems.NAMES:
        if name in needed:
            wall += timed([PY, "bench/per_asset.py", "history", name, out], project)
    for r in registry.renders(names=names):
        wall += timed([PY, "bench/per_asset.py", "render", r.scene.name, r.kind, r.theme, r.layout, out], project)
    return wall


def peer_round(project, out) -> dict:
    """gd_line's light render by our pipeline, then by the peer: frames per second while
    drawing and writing (each process's own timing), and peak memory (KiB)."""
    os.makedirs(out)
    timed([PY, "bench/per_asset.py", "history", "line", out], project)
    row = {}
    for who, cmd in (("ours", [PY, "bench/per_asset.py", "render", "gd_line", "animation", "light", "desktop", out]),
                     ("peer", [PY, "bench/peer.py", out])):
        timing = os.path.join(out, f"{who}.json")
        _, peak = measured(cmd + [timing], project)
        with open(timing) as f:
            inner = json.load(f)
        row[who] = {"fps": inner["frames"] / inner["render_s"], "peak_kib": peak, "frames": inner["frames"]}
    return row


def copy_project(folder) -> str:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if os.path.exists(os.path.join(ROOT, name)):
            os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(folder, name))
    os.symlink(os.path.join(ROOT, ".venv"), os.path.join(folder, ".venv"))
    return folder


def gifsicle_gain(path):
    if not shutil.which("gifsicle"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".gif") as f:
        subprocess.run(["gifsicle", "-O3", path, "-o", f.name], check=True)
        return 1 - os.path.getsize(f.name) / os.path.getsize(path)


def main():
    work = tempfile.mkdtemp(prefix="bench-")
    project = copy_project(os.path.join(work, "project"))
    timed(["make", "-s", f"OUT={os.path.join(work, 'warm')}", "all"], project)  # .scenes.mk, file caches
    samples = {k: [] for k in ("clean", "clean_per_asset", "animations", "animations_per_asset", "clean_light",
                               "startup")}
    peers = []
    for i in range(ROUNDS):
        out = lambda what: os.path.join(work, f"{what}-{i}")
        samples["startup"].append(min(timed(BARE_START, project) for _ in range(3)))
        samples["clean"].append(timed(["make", "-s", f"OUT={out('clean')}", "all"], project))
        samples["clean_light"].append(timed(["make", "-s", f"OUT={out('clean-light')}", "all", "THEMES=light",
                                             "LAYOUTS=desktop"], project))
        samples["clean_per_asset"].append(per_asset(project, out("clean-per-asset"), registry.NAMES))
        samples["animations"].append(timed(["make", "-s", f"OUT={out('animations')}", "animations"], project))
        samples["animations_per_asset"].append(per_asset(project, out("animations-per-asset"), registry.ANIMATIONS))
        peers.append(peer_round(project, out("peer")))
    median = {k: statistics.median(v) for k, v in samples.items()}
    peer = {who: {"fps_median": statistics.median(r[who]["fps"] for r in peers),
                  "peak_mib": max(r[who]["peak_kib"] for r in peers) / 1024, "frames": peers[-1][who]["frames"]}
            for who in ("ours", "peer")}

    built = os.path.join(work, "clean-0")
    measured_pages = pages.measure(built, ROUNDS)

    # One scene's code changes: into a finished build, the build remakes that scene only.
    before = {os.path.basename(p): os.path.getmtime(p) for p in glob.glob(os.path.join(built, "*"))}
    with open(os.path.join(project, "scenes", f"{CHANGED_SCENE}.py"), "a") as f:
        f.write("\n# a change for make bench\n")
    one_scene = timed(["make", "-s", f"OUT={built}", "all"], project)
    remade = sorted(name for name, t in before.items() if os.path.getmtime(os.path.join(built, name)) != t)
    noop = min(timed(["make", "-s", f"OUT={built}", "all"], project) for _ in range(5))
    dry = subprocess.run(["make", "-n", f"OUT={built}", "all"], cwd=project, capture_output=True, text=True).stdout
    measured_preview = preview.measure(project, built, max(ROUNDS, 3))

    results = {
        "rounds": ROUNDS,
        "seconds": {k: {"median": median[k], "min": min(v), "max": max(v)} for k, v in samples.items()},
        "ratios": {"clean": median["clean"] / median["clean_per_asset"],
                   "animations": median["animations"] / median["animations_per_asset"],
                   "one_scene": one_scene / median["clean_per_asset"],
                   "all_variants_over_one": median["clean"] / median["clean_light"],
                   "clean_over_startup": median["clean"] / median["startup"],
                   "peer_fps": peer["ours"]["fps_median"] / peer["peer"]["fps_median"],
                   "peer_peak_memory": peer["ours"]["peak_mib"] / peer["peer"]["peak_mib"]},
        "peer": {"gd_line": {"fps": peer["ours"]["fps_median"] / peer["peer"]["fps_median"],
                             "peak_memory": peer["ours"]["peak_mib"] / peer["peer"]["peak_mib"],
                             "ours": peer["ours"], "matplotlib": peer["peer"]}},
        "variants_extra_s": median["clean"] - median["clean_light"],
        "one_scene": {"scene": CHANGED_SCENE, "seconds": one_scene, "remade": remade},
        "noop_make_all_s": noop,
        "pages": measured_pages,
        "preview": measured_preview,
        "noop_starts_python": "python" in dry,
        "files": {os.path.basename(p): os.path.getsize(p) for p in sorted(glob.glob(os.path.join(built, "*")))
                  if not p.endswith(".csv")},
        "gifsicle_O3_gain": {os.path.basename(g): gifsicle_gain(g) for g in sorted(glob.glob(os.path.join(built, "*.gif")))},
    }
    results["targets"] = targets(results) + pages.targets(measured_pages) + preview.targets(measured_preview)
    shutil.rmtree(work)
    report(results)
    with open(os.path.join(ROOT, "bench", "last.json"), "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")


def targets(results) -> list:
    rows = []
    for what, key, bound, kind in TARGETS:
        value = results["ratios"][key]
        met = value <= bound if kind == "max" else value >= bound
        rows.append({"what": what, "value": value, "target": f"{'<=' if kind == 'max' else '>='} {bound:g}",
                     "met": met})
    clean = results["ratios"]["clean"]
    rows.append({"what": "clean build, stretch", "value": clean, "target": f"<= {STRETCH_CLEAN:g}",
                 "met": clean <= STRETCH_CLEAN})
    expected = sorted(set(registry.files(names=(CHANGED_SCENE,))) | {"manifest.json"})
    remade = [f for f in results["one_scene"]["remade"] if f != "index.html"]  # the page only if its words changed
    rows.append({"what": f"one scene changed: remade only {', '.join(expected)} (and the page)", "value": len(remade),
                 "target": f"== {len(expected)} files", "met": remade == expected})
    rows.append({"what": "no-op make all, seconds", "value": results["noop_make_all_s"], "target": f"< {MAX_NOOP_S}",
                 "met": results["noop_make_all_s"] < MAX_NOOP_S and not results["noop_starts_python"]})
    return rows


def report(results) -> None:
    s = results["seconds"]
    span = lambda k: f"{s[k]['median']:.2f} s ({s[k]['min']:.2f}-{s[k]['max']:.2f})"
    print(f"{'':28}{'one process':>22}{'one per asset':>22}{'ratio':>8}")
    print(f"{'clean build':28}{span('clean'):>22}{span('clean_per_asset'):>22}{results['ratios']['clean']:>8.2f}")
    print(f"{'make animations':28}{span('animations'):>22}{span('animations_per_asset'):>22}"
          f"{results['ratios']['animations']:>8.2f}")
    one = results["one_scene"]
    print(f"{'one scene changed':28}{one['seconds']:>20.2f} s{'':22}{results['ratios']['one_scene']:>8.2f}")
    print(f"  remade: {', '.join(one['remade'])}")
    print(f"{'clean, light desktop only':28}{span('clean_light'):>22}{'':22}"
          f"{results['ratios']['all_variants_over_one']:>8.2f}  (every theme and layout / light desktop: "
          f"+{results['variants_extra_s']:.2f} s for the dark theme and the phone layout)")
    print(f"{'bare start-up':28}{span('startup'):>22}{'':22}{results['ratios']['clean_over_startup']:>8.2f}"
          "  (clean build / start-up)")
    p = results["peer"]["gd_line"]
    print(f"{'peer: gd_line fps':28}{p['ours']['fps_median']:>20.2f}  {p['matplotlib']['fps_median']:>20.2f}"
          f"{p['fps']:>8.2f}  (ours, FuncAnimation)")
    print(f"{'peer: gd_line peak memory':28}{p['ours']['peak_mib']:>18.1f} MB  {p['matplotlib']['peak_mib']:>18.1f} MB"
          f"{p['peak_memory']:>8.2f}")
    print(f"{'no-op make all':28}{results['noop_make_all_s']:>20.3f} s"
          f"  ({'starts Python' if results['noop_starts_python'] else 'no Python'})")
    for name, size in results["files"].items():
        gain = results["gifsicle_O3_gain"].get(name)
        print(f"  {name}: {size:,} bytes" + ("" if gain is None else f", gifsicle -O3 gain {gain:.1%}"))
    print()
    pages.report(results["pages"])
    preview.report(results["preview"])
    print("\ntargets")
    for t in results["targets"]:
        value = f"{t['value']:,}" if isinstance(t["value"], int) else f"{t['value']:.3f}"
        print(f"  {t['what']:66}{value:>8}  {t['target']:<14}  {'met' if t['met'] else 'NOT MET'}")


if __name__ == "__main__":
    main()
