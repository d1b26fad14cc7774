# Figures and animations for the gradient-descent tutorial.
#   make animations   set up .venv (pinned versions) and render every animation
#   make test         set up and run the tests
# Make is the front door; `python -m render build` does the work in one process and
# decides from content hashes what is stale (each asset's data, code, settings and
# recorded history), so a change rebuilds exactly what it touches, a touched but unchanged
# file rebuilds nothing, and a second `make all` with nothing changed runs no Python.

SHELL := /bin/bash
.DEFAULT_GOAL := all

## Settings (make help lists them) are overridden on the command line: make all
## DATA=my_season.csv LR=0.05. Each is a row of the table in render/settings.py (its
## default, help and the commands that take it); the fragment below brings them here with
## the scene list.
PYTHON ?= python3

VENV  := .venv
PY    := $(VENV)/bin/python
READY := $(VENV)/.ready
# matplotlib's font cache beside the packages it lists: a cache shared with another
# environment may name fonts that environment has since taken away.
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/matplotlib

# The scenes (scenes/__init__.py) and every setting with its default, help and the
# arguments each command takes (render/settings.py): this file names no scene and writes
# no default. The system Python writes the fragment, so `make help` works before any
# virtual environment exists.
FRAGMENT := .scenes.mk
-include $(FRAGMENT)
$(FRAGMENT): scenes/__init__.py render/settings.py render/makevars.py render/outputs.py render/pipeline/registry.py
	$(PYTHON) -m render.makevars > $@.tmp && mv $@.tmp $@

# Every input of every asset: the data, all the code, the pinned versions. One rule
# depends on all of them, so a no-op `make all` starts no Python; when any is newer, one
# `python -m render build` decides from content hashes what is really stale.
DATA_DEP := $(wildcard $(DATA))
INPUTS   := $(wildcard render/*.py render/*/*.py render/*/*.mplstyle render/*/*.js render/*/templates/* \
	render/*/static/* scenes/*.py tutorial/*.md) requirements.lock $(DATA_DEP)

# The settings a build into OUT was last asked for, in a file rewritten only when they
# change (in .make/, not in OUT: a refused build leaves OUT untouched) and used as a
# prerequisite: another DATA path, LR, ... starts the build; the same settings start
# nothing. A build that has rewritten the manifest since (another goal, other settings)
# does too.
PARAMS   := $(foreach s,$(SETTING_NAMES),$s=$($s))
SETTINGS_FILE := .make/$(subst /,_,$(abspath $(OUT))).settings
ifneq ($(PARAMS),$(file < $(SETTINGS_FILE)))
$(shell mkdir -p .make)
$(file > $(SETTINGS_FILE),$(PARAMS))
endif
MANIFEST := $(OUT)/manifest.json
same  = $(and $(findstring x$1x,x$2x),$(findstring x$2x,x$1x))
goal_args = $(if $(filter all,$1),,$(if $(filter animations,$1),--animations,$(if $(filter figures,$1),--figures,$1)))

.PHONY: all animations figures page manifest check summary embed values serve test bench clean help lock FORCE $(SCENES)
FORCE:

all: $(OUT)/.built-all ## every figure, animation, poster and video, light and dark, the manifest and the pages (default)

animations: $(OUT)/.built-animations ## every animation (GIF, poster, MP4), with the manifest and pages

figures: $(OUT)/.built-figures ## every still (PNG), with the manifest and pages

page manifest: all ## the pages (index.html, tutorial.html) and manifest.json: written by every build, last

# One target per scene, for a teacher: make NAME M0=-1 B0=1.5 (make help lists them)
$(SCENES): %: $(OUT)/.built-%

# A stamp per goal, touched once the build has made all of it.
$(OUT)/.built-%: $(INPUTS) $(READY) $(SETTINGS_FILE) $(wildcard $(MANIFEST))
	$(PY) -m render build $(call goal_args,$*) $(ARGS_build)
	@touch $@

summary: $(READY) ## print the tutorial's result block for DATA, LR, STEPS
	@$(PY) -m render summary $(ARGS_summary)

check: $(READY) ## exit 1, naming them, if assets (and PAGE's markers, if given) no longer match the build
	@$(PY) -m render check $(ARGS_check)

# A maintainer's page with gd: markers, the URL prefix its site serves OUT under, and
# DRY_RUN=1 to see the diff instead of writing.
# With SITE=site.toml, every page the site file names, each built and addressed as it says.
embed: $(if $(SITE),$(READY),$(OUT)/.built-all) ## fill the gd: markers in PAGE=page.md (or .html), or in every page of SITE=site.toml
	$(if $(PAGE)$(SITE),,$(error make embed needs PAGE=path/to/page.md or SITE=path/to/site.toml))
	@$(PY) -m render embed $(ARGS_embed)

# The live preview, in one warm process (render/serve/): make all's settings, PAGE kept
# embedded if given, and PORT (0: any free port).
serve: $(READY) ## build, serve OUT at http://127.0.0.1:PORT/ (8000), rebuild what each save touches; Ctrl-C stops
	@$(PY) -m render serve $(ARGS_serve)

values: $(READY) ## list every value a page can quote (gd:value NAME), with its meaning and value now
	@$(PY) -m render values $(ARGS_values)

# The virtual environment: rebuilt when the lock's content changes (not its time), and
# with it every asset. .ready holds the checksum of the lock it was installed from.
LOCK_SUM := $(firstword $(shell cksum < requirements.lock))
$(READY): $(if $(call same,$(LOCK_SUM),$(file < $(READY))),,FORCE)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	echo $(LOCK_SUM) > $@

# The page test drives Debian's chromium (never a downloaded browser); as root, install it.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@[ "$$(id -u)" = 0 ] || { echo "the page test needs chromium: run 'sudo apt-get install chromium'" >&2; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# Bytecode is written while the tests run, even where the environment says not to
# (PYTHONDONTWRITEBYTECODE): the suite starts a Python process more than a hundred times,
# and each would compile the project anew (0.2 s), and pytest rewrite the tests' asserts
# anew. The suite's plugins are named, not whatever is installed: pytest rewrites the
# asserts of every module of a package that declares one (hypothesis; anyio, which
# watchfiles brings), about 3 s of each worker's start.
test: $(READY) $(CHROMIUM) ## set up (venv, chromium) and run the test suite
	env -u PYTHONDONTWRITEBYTECODE PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 \
		$(PY) -m pytest -p xdist.plugin -p _hypothesis_pytestplugin -n 2

# Lighthouse, pinned in bench/package-lock.json, measures the pages in make bench (12.2.3:
# the last to run on Node 20).
LIGHTHOUSE := bench/node_modules/.bin/lighthouse
$(LIGHTHOUSE): bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || { echo "make bench needs Node 20 and npm to run Lighthouse" >&2; exit 1; }
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: $(READY) $(CHROMIUM) $(LIGHTHOUSE) ## time the build against one process per asset, and Lighthouse on the pages; writes bench/last.json
	@command -v gifsicle >/dev/null || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gifsicle >/dev/null; }
	$(PY) bench/bench.py

clean: ## remove every generated file from the output folder (keeps .venv)
	$(if $(OUT),,$(error OUT is empty: nothing to clean))
	rm -f $(addprefix $(OUT)/,*.png *.svg *.gif *.mp4 *.avif history*.csv manifest.json index.html tutorial.html player.js .built-* .*.tmp)

# A fresh environment with exactly what pyproject.toml asks for (the project itself ships no
# package: it runs from its folder), frozen: every package it installed, and nothing else.
lock: ## re-resolve pyproject.toml's ranges and pin the result in requirements.lock
	rm -rf .lock-venv *.egg-info && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude gd-animations; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv *.egg-info

help: ## list the targets
	@grep -hE '^[a-z ]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18
	@echo "NAME              one scene: $(SCENES)"
	@echo; echo "Settings (make all LR=0.05 ...), with their values now:"
	@$(foreach s,$(ALL_SETTINGS),printf '  %-8s %-28s %s\n' '$s' "'$($s)'" '$(subst ','"'"',$(HELP_$s))';)
