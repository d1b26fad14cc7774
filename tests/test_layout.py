"""The house: render/ read top-down, no import runs back up; the scenes' registry is read
through one module; every module says in its first sentence what it is for; every setting
is written once, as a row of render/settings.py's table, from which the command line, Make
and the runs' hashes derive; and no module keeps a theme or a scale that the build swaps."""
import ast
import inspect
import re
import subprocess
import sys

import pytest

import render.__main__ as cli
from render import makevars, settings
from render.engine import descent, problems
from tests.conftest import ROOT
from tests.test_make import imports_of

#: Bottom to top. A module may import its own layer and the layers below it, never above.
LAYERS = (
    ("render/__init__.py", "render/errors.py", "render/numbers.py", "render/settings.py", "render/atomic.py",
     "render/sites.py"),  # a maintainer's site file: settings and paths, read and checked
    ("render/engine/",),  # the data and the descent engine: numbers only
    ("render/draw/", "render/outputs.py"),  # shots into pixels and files; which files a render writes
    ("scenes/",),  # what each picture shows
    ("render/publish/",),  # manifest, pages, player: what the files are and where they are shown
    ("render/pipeline/",),  # what is stale, and making it
    ("render/commands/",),  # what answers from the plan: check, embed, summary, values
    ("render/serve/",),  # the live preview: the build kept warm, the output folder served
    ("render/__main__.py", "render/makevars.py"),  # the command line and Make's view
)
MODULES = sorted(p.relative_to(ROOT).as_posix() for folder in ("render", "scenes") for p in (ROOT / folder).rglob("*.py"))


def layer(path: str) -> int:
    found = [i for i, prefixes in enumerate(LAYERS) if any(path == p or path.startswith(p) and p.endswith("/")
                                                            for p in prefixes)]
    assert len(found) == 1, f"{path}: in no layer, or in more than one"
    return found[0]


@pytest.mark.parametrize("path", MODULES)
def test_no_import_runs_back_up(path):
    above = sorted(f for f in imports_of(ROOT / path) if layer(f) > layer(path))
    assert above == [], f"{path} imports from a layer above it"


@pytest.mark.parametrize("path", MODULES)
def test_every_module_opens_with_what_it_is_for(path):
    docstring = ast.get_docstring(ast.parse((ROOT / path).read_text()))
    assert docstring and len(docstring.split()) >= 5, path


def test_the_folders_say_who_draws_who_publishes_and_who_decides():
    for package in ("engine", "draw", "publish", "pipeline", "commands", "serve"):
        assert ast.get_docstring(ast.parse((ROOT / "render" / package / "__init__.py").read_text()))
    assert (ROOT / "render" / "pipeline" / "plan.py").exists()  # what is stale, and why
    assert (ROOT / "render" / "pipeline" / "render_one.py").exists()  # one render into its files
    # No package is named as tools name an output folder they skip (ruff's and black's
    # default excludes, most ignore files).
    for folder in (ROOT / "render").iterdir():
        assert folder.name not in ("build", "dist", "out", "output", "target"), folder


def test_only_the_registry_loader_reads_the_scenes():
    # The publishing wing learns of scenes from the manifest; the rest of render/ from
    # render/pipeline/registry.py.
    for path in MODULES:
        if path.startswith("render/") and path != "render/pipeline/registry.py":
            assert not any(f.startswith("scenes/") for f in imports_of(ROOT / path)), path


def code_constants(path) -> list:
    """Every literal in a module's code: docstrings and comments left out."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and id(node) not in docstrings]


def test_each_setting_is_written_once():
    table = settings.TABLE
    strings = [s.default for s in table if isinstance(s.default, str)]
    tuples = [s.default for s in table if isinstance(s.default, tuple) and s.default]
    for path in [ROOT / m for m in MODULES] + sorted((ROOT / "bench").glob("*.py")):
        if path.name == "settings.py" and path.parent.name == "render":
            continue
        constants = code_constants(path)
        assert not set(strings) & set(c for c in constants if isinstance(c, str)), path
        assert not any(isinstance(c, str) and "sample_standings" in c for c in constants), path
        literal = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Tuple)]
        assert not any(all(isinstance(e, ast.Constant) for e in t.elts) and tuple(e.value for e in t.elts) in tuples
                       for t in literal), path
    makefile = (ROOT / "Makefile").read_text()
    fragment = makevars.fragment().splitlines()
    for s in table:
        if s.make:  # Make takes its default from the fragment, and its help
            assert not re.search(rf"^{s.make}\s*[:?]?=", makefile, re.M), s.make
            assert f"{s.make} ?= {makevars.make_value(s.default)}".rstrip() in fragment
            assert f"HELP_{s.make} := {s.help}" in fragment


def test_the_command_line_the_settings_and_the_engine_read_the_table():
    parser = cli._parser()
    for command in settings.RUNS:
        args = parser.parse_args([command] + (["--page", "p.md"] if command == "embed" else []))
        taken = {s.name for s in settings.TABLE if command in s.commands}
        assert taken <= set(vars(args)), command
        for s in settings.TABLE:
            if s.name in taken and s.name != "page":
                assert getattr(args, s.name) == s.cli_default, (command, s.name)
    assert parser.parse_args(["build"]).data == str(ROOT / settings.DEFAULTS.data)
    assert settings.of(parser.parse_args(["build"])) == settings.Settings(data=str(ROOT / settings.DEFAULTS.data))
    defaults = {k: p.default for k, p in inspect.signature(descent.descend).parameters.items()}
    assert (defaults["lr"], defaults["steps"], defaults["m0"], defaults["b0"]) == \
        (settings.DEFAULTS.lr, settings.DEFAULTS.steps, settings.DEFAULTS.m0, settings.DEFAULTS.b0)
    # each problem's runs are hashed with the settings whose rows name it
    for problem in problems.PROBLEMS.values():
        assert problem.settings == tuple(s.name for s in settings.TABLE if problem.name in s.runs)


def test_no_module_keeps_a_theme_or_a_scale():
    # The theme and the scale reach a scene on its pen: nothing at module level that a
    # build could swap underneath it (a list used as a stack, a module __getattr__).
    for path in MODULES:
        tree = ast.parse((ROOT / path).read_text())
        for node in tree.body:
            assert not (isinstance(node, ast.FunctionDef) and node.name == "__getattr__"), path
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.List, ast.Dict)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                assert not any(re.search(r"current|scale|theme|pen", n, re.I) for n in names), \
                    f"{path}: {ast.unparse(node)[:60]}"


def test_the_commands_that_only_read_start_without_drawing():
    # check, embed (of a page), values and summary answer from the plan: importing the
    # build's drawing (matplotlib, the encoders) would double their start-up, and the
    # suite starts them more than a hundred times.
    code = ("import sys; from render import __main__; "
            "print(sorted(m for m in ('matplotlib', 'render.pipeline.run', 'render.draw.frames') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
