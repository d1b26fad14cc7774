# Figures and animations for the gradient-descent tutorial.
#   make animations   set up .venv (pinned versions) and render every animation
#   make test         set up and run the tests
# Make is the front door; `python -m render build` does the work in one process and
# decides from content hashes what is stale (each asset's data, code, settings and
# recorded history), so a change rebuilds exactly what it touches, a touched but unchanged
# file rebuilds nothing, and a second `make all` with nothing changed runs no Python.

SHELL := /bin/bash
.DEFAULT_GOAL := all

## Settings (override on the command line: make all DATA=my_season.csv LR=0.05)
DATA  ?= data/sample_standings.csv
OUT   ?= output
LR    ?= 0.1
STEPS ?= 200
M0    ?= 0
B0    ?= 0
# Every learning rate a scene may show; LR is always recorded too.
RATES ?= 0.001 0.1 1.5
# Only these themes (light, dark: render/palette.py); empty: all of them.
THEMES ?=
PYTHON ?= python3

VENV  := .venv
PY    := $(VENV)/bin/python
READY := $(VENV)/.ready

# The scenes, from their registry (scenes/__init__.py): this file names none. The system
# Python writes the list, so `make help` works before any virtual environment exists.
SCENE_LIST := .scenes.mk
-include $(SCENE_LIST)
$(SCENE_LIST): scenes/__init__.py
	$(PYTHON) -c 'import scenes, sys; sys.stdout.write(scenes.make_fragment())' > $@.tmp && mv $@.tmp $@

# Every input of every asset: the data, all the code, the pinned versions. One rule
# depends on all of them, so a no-op `make all` starts no Python; when any is newer, one
# `python -m render build` decides from content hashes what is really stale.
DATA_DEP := $(wildcard $(DATA))
INPUTS   := $(wildcard render/*.py render/*.mplstyle render/*.js scenes/*.py) requirements.lock $(DATA_DEP)
SETTINGS := --data "$(DATA)" --lr "$(LR)" --steps "$(STEPS)" --m0 "$(M0)" --b0 "$(B0)" --rates "$(RATES)" \
	--themes "$(THEMES)"

# What a build was asked for (goal and settings) is kept in $(OUT)/.built-GOAL once it
# succeeds. When this run asks for something else (another DATA path, LR, ...), or
# another build has rewritten the manifest since, Python runs again.
PARAMS  := data=$(DATA) lr=$(LR) steps=$(STEPS) m0=$(M0) b0=$(B0) rates=$(RATES) themes=$(THEMES)
MANIFEST := $(OUT)/manifest.json
same  = $(and $(findstring x$1x,x$2x),$(findstring x$2x,x$1x))
stale = $(if $(call same,$1 $(PARAMS),$(file < $(OUT)/.built-$1)),,FORCE)
goal_args = $(if $(filter all,$1),,$(if $(filter animations,$1),--animations,$(if $(filter figures,$1),--figures,$1)))

.PHONY: all animations figures page manifest check summary test bench clean help lock FORCE $(SCENES)
.SECONDEXPANSION:
FORCE:

all: $(OUT)/.built-all ## every figure, animation, poster and video, light and dark, the manifest and the page (default)

animations: $(OUT)/.built-animations ## every animation (GIF, poster, MP4), with the manifest and page

figures: $(OUT)/.built-figures ## every still (PNG), with the manifest and page

page manifest: all ## the embed page and output/manifest.json: written by every build, last

# One target per scene, for a teacher: make NAME M0=-1 B0=1.5 (make help lists them)
$(SCENES): %: $(OUT)/.built-%

$(OUT)/.built-%: $(INPUTS) $(READY) $(wildcard $(MANIFEST)) $$(call stale,$$*)
	$(PY) -m render build $(call goal_args,$*) $(SETTINGS) --out-dir "$(OUT)" \
		--stamp $@ --stamp-text '$* $(PARAMS)'

summary: $(READY) ## print the tutorial's result block for DATA, LR, STEPS
	@$(PY) -m render summary --data "$(DATA)" --lr "$(LR)" --steps "$(STEPS)" --m0 "$(M0)" --b0 "$(B0)"

check: $(READY) ## exit 1, naming them, if assets no longer match their data, code or settings
	@$(PY) -m render check $(SETTINGS) --out-dir "$(OUT)"

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

test: $(READY) $(CHROMIUM) ## set up (venv, chromium) and run the test suite
	$(PY) -m pytest

bench: $(READY) ## time the one-process build against one process per asset; writes bench/last.json
	@command -v gifsicle >/dev/null || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gifsicle >/dev/null; }
	$(PY) bench/bench.py

clean: ## remove every generated file from the output folder (keeps .venv)
	rm -f $(addprefix $(or $(OUT),output)/,*.png *.svg *.gif *.mp4 history*.csv manifest.json index.html player.js .built-* .*.tmp)

lock: ## re-resolve pyproject.toml's ranges and pin the result in requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude gd-animations; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

help: ## list the targets
	@grep -hE '^[a-z ]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18
	@echo "NAME              one scene: $(SCENES)"
	@echo; echo "Settings: DATA=$(DATA) OUT=$(OUT) LR=$(LR) STEPS=$(STEPS) M0=$(M0) B0=$(B0) RATES='$(RATES)' THEMES='$(THEMES)'"
