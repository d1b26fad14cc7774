"""The house: render/ read top-down, no import runs back up; every module says in its first
sentence what it is for; every default is written once, in render/settings.py; and no
module keeps a theme or a scale that the build swaps."""
import ast
import inspect
import re

import pytest

import render.__main__ as cli
from render import makevars, settings
from render.engine import descent
from tests.conftest import ROOT
from tests.test_make import imports_of

#: Bottom to top. A module may import its own layer and the layers below it, never above.
LAYERS = (
    ("render/__init__.py", "render/errors.py", "render/numbers.py", "render/settings.py", "render/atomic.py"),
    ("render/engine/",),  # the data and the descent engine: numbers only
    ("render/draw/",),  # shots into pixels and files
    ("scenes/",),  # what each picture shows
    ("render/publish/",),  # manifest, pages, player: what the files are and where they are shown
    ("render/build/",),  # what is stale, and making it
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
    for package in ("engine", "draw", "publish", "build"):
        assert ast.get_docstring(ast.parse((ROOT / "render" / package / "__init__.py").read_text()))
    assert (ROOT / "render" / "build" / "plan.py").exists()  # what is stale, and why
    assert (ROOT / "render" / "build" / "render_one.py").exists()  # one render into its files


def code_constants(path) -> list:
    """Every literal in a module's code: docstrings and comments left out."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and id(node) not in docstrings]


def test_each_default_is_written_once():
    d = settings.DEFAULTS
    for path in [ROOT / m for m in MODULES] + sorted((ROOT / "bench").glob("*.py")):
        if path.name == "settings.py" and path.parent.name == "render":
            continue
        constants = code_constants(path)
        assert d.data not in constants and settings.OUT not in constants, path
        assert not any(isinstance(c, str) and "sample_standings" in c for c in constants), path
        tuples = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Tuple)]
        assert not any(len(t.elts) == len(d.rates) and all(isinstance(e, ast.Constant) for e in t.elts)
                       and tuple(e.value for e in t.elts) == d.rates for t in tuples), path
    makefile = (ROOT / "Makefile").read_text()
    for name in settings.defaults():  # Make takes every default from the fragment
        assert not re.search(rf"^{name}\s*[:?]?=", makefile, re.M), name
    fragment = makevars.fragment()
    for name, value in settings.defaults().items():
        assert f"{name} ?= {makevars.make_value(value)}".rstrip() in fragment.splitlines()
    assert not re.search(r"^PORT\s*[:?]?=", makefile, re.M) and f"PORT ?= {settings.PORT}" in fragment.splitlines()
    assert cli._parser().parse_args(["serve"]).port == settings.PORT


def test_the_command_line_and_the_engine_read_the_defaults_there():
    build = cli._parser().parse_args(["build"])
    assert (build.lr, build.steps, build.m0, build.b0, tuple(build.rates)) == \
        (settings.DEFAULTS.lr, settings.DEFAULTS.steps, settings.DEFAULTS.m0, settings.DEFAULTS.b0,
         settings.DEFAULTS.rates)
    assert build.data == str(ROOT / settings.DEFAULTS.data) and build.out_dir == settings.OUT
    assert tuple(build.themes) == settings.THEMES
    defaults = {k: p.default for k, p in inspect.signature(descent.descend).parameters.items()}
    assert (defaults["lr"], defaults["steps"], defaults["m0"], defaults["b0"]) == \
        (settings.DEFAULTS.lr, settings.DEFAULTS.steps, settings.DEFAULTS.m0, settings.DEFAULTS.b0)


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
