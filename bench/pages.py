"""The pages as a phone gets them: Lighthouse 12.2.3's mobile preset (a Moto G Power's
screen, slow 4G and a 4x slower CPU, simulated) on index.html and tutorial.html, each
served the plain way (`python -m http.server`, no byte ranges), ROUNDS times; the median
of each measure. Called by bench/bench.py, which owns the build it measures."""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIGHTHOUSE = os.path.join(ROOT, "bench", "node_modules", ".bin", "lighthouse")
CHROMIUM = "/usr/bin/chromium"
PAGES = ("index.html", "tutorial.html")
#: (what, key, bound, "max" or "min"), each for every page
TARGETS = (("performance score", "performance", 95, "min"), ("largest contentful paint, ms", "lcp_ms", 2500, "max"),
           ("accessibility score", "accessibility", 100, "min"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(folder: str) -> tuple[subprocess.Popen, str]:
    """`python -m http.server` on a free port, as most people preview a folder."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        report = os.path.join(scratch, "report.json")
        subprocess.run([LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility",
                        "--chrome-flags=--headless=new --no-sandbox"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True)
        with open(report) as f:
            r = json.load(f)
    audits = r["audits"]
    return {"performance": round(100 * r["categories"]["performance"]["score"]),
            "accessibility": round(100 * r["categories"]["accessibility"]["score"]),
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "fcp_ms": audits["first-contentful-paint"]["numericValue"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"],
            "failed_accessibility": sorted(k for k, a in audits.items()
                                           if a.get("score") == 0 and k in _accessibility_ids(r))}


def _accessibility_ids(report: dict) -> set:
    return {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]}


def measure(folder: str, rounds: int) -> dict:
    """Each page's median measures over ``rounds`` Lighthouse runs, pages alternated."""
    server, base = serve(folder)
    try:
        runs = {page: [] for page in PAGES}
        for _ in range(rounds):
            for page in PAGES:
                runs[page].append(lighthouse(f"{base}/{page}"))
    finally:
        server.terminate()
        server.wait()
    out = {}
    for page, results in runs.items():
        out[page] = {k: statistics.median(r[k] for r in results) for k in results[0] if k != "failed_accessibility"}
        out[page]["runs"] = results
    return out


def targets(pages: dict) -> list:
    rows = []
    for page, m in pages.items():
        for what, key, bound, kind in TARGETS:
            value = m[key]
            rows.append({"what": f"{page}: Lighthouse mobile, {what} (median)", "value": value,
                         "target": f"{'<=' if kind == 'max' else '>='} {bound:g}",
                         "met": value <= bound if kind == "max" else value >= bound})
    return rows


def report(pages: dict) -> None:
    print(f"{'page (Lighthouse mobile)':28}{'performance':>12}{'LCP':>9}{'TBT':>8}{'CLS':>7}{'KB':>7}{'a11y':>6}")
    for page, m in pages.items():
        print(f"{page:28}{m['performance']:>12.0f}{m['lcp_ms'] / 1000:>8.2f}s{m['tbt_ms']:>6.0f}ms{m['cls']:>7.3f}"
              f"{m['bytes'] / 1024:>7.0f}{m['accessibility']:>6.0f}")


if __name__ == "__main__":  # python bench/pages.py OUT [ROUNDS]: the pages of a finished build
    measured = measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    report(measured)
    for row in targets(measured):
        print(f"  {row['what']:66}{row['value']:>8.0f}  {row['target']:<10}  {'met' if row['met'] else 'NOT MET'}")
