"""The output table and the settings table are data: a toy format added through the public
table (an encoder and a row) is built, listed in the manifest, checked by `make check` and
offered by the pages, with no other module changed; a toy setting added as one row of the
settings table reaches the command line, `make help` and the recorded runs' hash."""
import io
import json
import subprocess

import pytest
from PIL import Image

from render import outputs, settings
from render.commands import check
from render.draw import encoders
from render.pipeline import registry, run
from render.publish import manifest
from tests.conftest import DATA, ROOT, run_make


@encoders.register("webp", "image/webp")
class WebpEncoder(encoders.Encoder):
    """A toy: the still as a lossless WebP."""

    def finish(self) -> bytes:
        out = io.BytesIO()
        Image.fromarray(self.only_frame().rgb, "RGB").save(out, format="WEBP", lossless=True)
        return out.getvalue()


encoders.unregister("webp")  # registered only while a test runs
WEBP = outputs.Row("still", "webp", (1, 2), "{stem}{at}.webp", offer="source")


@pytest.fixture
def webp():
    encoders.register("webp", "image/webp")(WebpEncoder)
    outputs.add_row(WEBP)
    try:
        yield
    finally:
        outputs.remove_row(WEBP)
        encoders.unregister("webp")


def test_a_new_format_is_one_encoder_and_one_row(webp, out, capsys):
    # Over a copy of the shared build: the new files are all that is missing, so the
    # stills are drawn again (in this process) and every other file is up to date.
    build = settings.Settings(str(DATA), out=str(out), themes=("light",), layouts=("desktop",), jobs=1)
    assert run.build(build) == 0
    stills, animations = (registry.files(("light",), ("desktop",), kinds=(kind,)) for kind in ("still", "animation"))
    assert capsys.readouterr().out.rstrip().endswith(f"{len(stills)} made, {len(animations)} up to date")
    listed = {e["file"]: e for e in manifest.load(str(out))["assets"]}
    for file, density in (("gd_fit.webp", 1), ("gd_fit@2x.webp", 2)):
        entry = listed[file]
        assert (entry["role"], entry["density"], entry["format"]) == ("still", density, "webp")
        with Image.open(out / file) as im:
            assert im.format == "WEBP" and im.size == (entry["width"], entry["height"])
            assert im.size == (640 * density, 480 * density)
    # the page offers it first, by its media type, at both densities
    page = (out / "index.html").read_text()
    assert '<source srcset="gd_fit.webp 640w, gd_fit@2x.webp 1280w"' in page and 'type="image/webp"' in page
    # make check knows it: current, then missing
    capsys.readouterr()
    assert check.check(build) == 0
    (out / "gd_fit@2x.webp").unlink()
    assert check.check(build) == 1
    assert "stale: gd_fit@2x.webp: missing" in capsys.readouterr().out


TOY = '''    Setting("toy", "--toy", "TOY", 3, whole("toy", 1, 9), "a toy setting the tests add", RUNS, runs=("line",),
            text=lambda s: str(s.toy)),
'''


def test_a_new_setting_is_one_row(project):
    source = project / "render" / "settings.py"
    text = source.read_text()
    end = text.index("]\n\n\ndef row(")
    source.write_text(text[:end] + TOY + text[end:])
    python = str(ROOT / ".venv" / "bin" / "python")
    usage = subprocess.run([python, "-m", "render", "build", "--help"], cwd=project, capture_output=True, text=True)
    assert "--toy" in usage.stdout and "a toy setting the tests add (default 3)" in " ".join(usage.stdout.split())
    refused = subprocess.run([python, "-m", "render", "summary", "--toy", "12"], cwd=project, capture_output=True,
                             text=True)
    assert refused.returncode == 2 and "toy 12 must be between 1 and 9" in refused.stderr
    shown = run_make("-s", "help", cwd=project).stdout
    assert "TOY" in shown and "'3'" in shown and "a toy setting the tests add" in shown
    # the hash of the line's runs' settings changes with it; the scaling runs' does not
    hashes = subprocess.run([python, "-c", HASHES, str(DATA)], cwd=project, capture_output=True, text=True)
    assert hashes.returncode == 0, hashes.stderr
    line3, line4, scaling3, scaling4 = json.loads(hashes.stdout)
    assert line3 != line4 and scaling3 == scaling4


HASHES = """
import json, sys
from render.pipeline.plan import Plan
from render.pipeline.registry import Render, get
from render.settings import Settings
found = []
for name in ("gd_fit", "gd_scaling"):
    for toy in (3, 4):
        plan = Plan(Settings(sys.argv[1], toy=toy), names=(name,))
        found.append(plan.inputs(Render(get(name), "still"))["params"])
print(json.dumps([found[0], found[1], found[2], found[3]]))
"""

