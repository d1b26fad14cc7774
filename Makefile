# Figures and animations for the gradient-descent tutorial.
#   make animations   set up .venv (pinned versions) and render every animation
#   make test         set up and run the tests
# Each asset depends on its data, on the recorded history and on the code that draws it,
# and on nothing else: a change rebuilds exactly what it touches, and a second `make all`
# with nothing changed runs no Python.

SHELL := /bin/bash
.DELETE_ON_ERROR:
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
PYTHON ?= python3

VENV  := .venv
PY    := $(VENV)/bin/python
READY := $(VENV)/.ready

# The scene lists; tests/test_make.py checks they match scenes/__init__.py.
FIGURES    := gd_loss gd_fit gd_learning_rates gd_bowl gd_scaling gd_two_features
ANIMATIONS := gd_line gd_learning_rates gd_bowl
FIGURE_FILES    := $(FIGURES:%=$(OUT)/%.png)
# Each animation is a GIF, its last frame as a poster, and the same frames as an MP4.
ANIMATION_FILES := $(foreach a,$(ANIMATIONS),$(OUT)/$a.gif $(OUT)/$a_poster.png $(OUT)/$a.mp4)
MANIFEST := $(OUT)/manifest.json
PAGE     := $(OUT)/index.html

# The recorded descent runs, one file per problem (render/problems.py). A scene reads
# history.csv unless it fits another problem (its PROBLEM; tests check these agree).
HISTORIES := $(OUT)/history.csv $(OUT)/history_scaling.csv $(OUT)/history_two_features.csv
HISTORY_gd_scaling      := history_scaling.csv
HISTORY_gd_two_features := history_two_features.csv
history_of = $(OUT)/$(or $(HISTORY_$1),history.csv)
problem_of = $(or $(patsubst history_%,%,$(filter history_%,$1)),line)

# The code each kind of target runs (tests/test_make.py checks these cover every
# project module the command imports, so no dependency is forgotten).
ENGINE_CODE := render/__init__.py render/__main__.py render/errors.py render/data.py \
               render/descent.py render/history.py render/lesson.py render/atomic.py \
               render/problems.py render/progress.py
SCENE_CODE  := $(ENGINE_CODE) render/numbers.py render/frames.py render/palette.py render/gif.py render/parallel.py \
               render/style.mplstyle render/writer.py scenes/__init__.py scenes/common.py

# A missing data file is not a Make error: Python reports it as one clear line.
DATA_DEP := $(wildcard $(DATA))

# The settings each history was last recorded with live beside it in $(OUT)/.NAME.params.
# When they differ from this run's (another DATA path, LR, STEPS, ...), that history is
# recorded again, and with it every asset drawn from it. A stamp is written only after
# its history succeeds, so a run with bad input leaves the output folder as it was.
# The data file by its path from here (absolute when outside), so a clone anywhere records
# the same settings.
DATA_PATH := $(patsubst $(CURDIR)/%,%,$(abspath $(DATA)))
# The scaling runs use only the data and the step count (their rates and start are fixed).
PARAMS := data=$(DATA_PATH) lr=$(LR) steps=$(STEPS) m0=$(M0) b0=$(B0) rates=$(RATES)
PARAMS_history_scaling := data=$(DATA_PATH) steps=$(STEPS)
params_of = $(or $(PARAMS_$1),$(PARAMS))
same = $(and $(findstring x$1x,x$2x),$(findstring x$2x,x$1x))
stale = $(if $(call same,$(call params_of,$1),$(file < $(OUT)/.$1.params)),,FORCE)

# Failing assets do not stop the others: with no RS column only the two-feature
# scene fails, and everything else is still built (make still exits non-zero).
MAKEFLAGS += --keep-going
.SECONDEXPANSION:

.PHONY: all animations figures page manifest check summary test bench clean help lock FORCE $(FIGURES) $(ANIMATIONS)

all: figures animations page ## every figure, animation, poster and video, the manifest and the page (default)

animations: $(ANIMATION_FILES) ## every animated asset (GIF)

figures: $(FIGURE_FILES) ## every still (PNG)

summary: $(READY) ## print the tutorial's result block for DATA, LR, STEPS
	@$(PY) -m render summary --data "$(DATA)" --lr "$(LR)" --steps "$(STEPS)" --m0 "$(M0)" --b0 "$(B0)"

# The other problems wait for the line's history (order only): bad data then fails once,
# with one error line, instead of once per history.
$(filter-out $(OUT)/history.csv,$(HISTORIES)): | $(OUT)/history.csv

$(HISTORIES): $(OUT)/%.csv: $(ENGINE_CODE) $(DATA_DEP) $(READY) $$(call stale,$$*) | $(OUT)
	$(PY) -m render history --problem $(call problem_of,$*) --data "$(DATA)" --lr "$(LR)" --steps "$(STEPS)" \
		--m0 "$(M0)" --b0 "$(B0)" --rates "$(RATES)" --out $@ \
		--stamp $(OUT)/.$*.params --stamp-text '$(call params_of,$*)'

$(OUT)/%.png: scenes/%.py $(SCENE_CODE) $$(call history_of,$$*) $(DATA_DEP) | $(OUT)
	$(PY) -m render scene $* --data "$(DATA)" --history $(call history_of,$*) --lr "$(LR)" --out $@

# One run writes all three (a pattern rule with several targets makes them together).
$(OUT)/%.gif $(OUT)/%_poster.png $(OUT)/%.mp4: scenes/%.py $(SCENE_CODE) $$(call history_of,$$*) $(DATA_DEP) | $(OUT)
	$(PY) -m render scene $* --data "$(DATA)" --history $(call history_of,$*) --lr "$(LR)" --out $(OUT)/$*.gif

# What the manifest and the check hash: every asset's code, its history's settings.
PUBLISH_ARGS = --data "$(DATA)" --out-dir $(OUT) --lr "$(LR)" --code "$(SCENE_CODE) requirements.lock" \
	$(foreach h,$(HISTORIES:$(OUT)/%.csv=%),--params "$h.csv=$(call params_of,$h)")

manifest: $(MANIFEST) ## write output/manifest.json (sizes, hashes, alt text, captions)

$(MANIFEST): $(FIGURE_FILES) $(ANIMATION_FILES) $(HISTORIES) $(SCENE_CODE) $(wildcard scenes/*.py) \
             render/manifest.py render/media.py render/summary.py requirements.lock
	$(PY) -m render manifest $(PUBLISH_ARGS) --out $@

page: $(PAGE) ## write output/index.html, the embed page

$(PAGE): $(MANIFEST) render/page.py $(ENGINE_CODE) scenes/__init__.py $(DATA_DEP)
	$(PY) -m render page --manifest $(MANIFEST) --data "$(DATA)" --out $@

check: $(READY) ## exit 1, naming them, if assets no longer match their data, code or settings
	@$(PY) -m render check $(PUBLISH_ARGS)

# One target per scene, for a teacher: make gd_bowl M0=-1 B0=1.5
$(foreach s,$(sort $(FIGURES) $(ANIMATIONS)),$(eval $s: $(filter $(OUT)/$s.%,$(FIGURE_FILES) $(ANIMATION_FILES))))

$(OUT):
	mkdir -p $@

# The virtual environment: rebuilt when the lock changes, and with it every asset.
$(READY): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# The page test drives Debian's chromium (never a downloaded browser); as root, install it.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@[ "$$(id -u)" = 0 ] || { echo "the page test needs chromium: run 'sudo apt-get install chromium'" >&2; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: $(READY) $(CHROMIUM) ## set up (venv, chromium) and run the test suite
	$(PY) -m pytest

bench: $(READY) $(HISTORIES) ## time the GIF pipeline against the naive baseline; writes bench/last.json
	@command -v gifsicle >/dev/null || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gifsicle >/dev/null; }
	$(PY) bench/bench.py

clean: ## remove every generated asset (keeps .venv)
	rm -f $(FIGURE_FILES) $(ANIMATION_FILES) $(HISTORIES) $(MANIFEST) $(PAGE) $(OUT)/.*.params $(OUT)/.*.tmp

lock: ## re-resolve pyproject.toml's ranges and pin the result in requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude gd-animations; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

help: ## list the targets
	@grep -hE '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14
	@echo; echo "Settings: DATA=$(DATA) OUT=$(OUT) LR=$(LR) STEPS=$(STEPS) M0=$(M0) B0=$(B0) RATES='$(RATES)'"
