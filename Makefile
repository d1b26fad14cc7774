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
FIGURES    := gd_loss gd_fit
ANIMATIONS := gd_line
FIGURE_FILES    := $(FIGURES:%=$(OUT)/%.png)
ANIMATION_FILES := $(ANIMATIONS:%=$(OUT)/%.gif)
HISTORY := $(OUT)/history.csv

# The code each kind of target runs (tests/test_make.py checks these cover every
# project module the command imports, so no dependency is forgotten).
ENGINE_CODE := render/__init__.py render/__main__.py render/errors.py render/data.py \
               render/descent.py render/history.py render/lesson.py render/atomic.py
SCENE_CODE  := $(ENGINE_CODE) render/numbers.py render/frames.py render/palette.py \
               render/style.mplstyle render/writer.py scenes/__init__.py scenes/common.py

# A missing data file is not a Make error: Python reports it as one clear line.
DATA_DEP := $(wildcard $(DATA))

# The parameters of the last successful history run live in $(OUT)/.params. When they
# differ from this run's (another DATA path, LR, STEPS, ...), the history is rebuilt, and
# with it every asset. It is written only after the history succeeds, so a run with bad
# input leaves the output folder exactly as it was.
PARAMS := data=$(abspath $(DATA)) lr=$(LR) steps=$(STEPS) m0=$(M0) b0=$(B0) rates=$(RATES)
PARAMS_FILE := $(OUT)/.params
ifneq ($(file < $(PARAMS_FILE)),$(PARAMS))
PARAMS_CHANGED := FORCE
endif

.PHONY: all animations figures summary test clean help lock FORCE

all: figures animations ## every figure and animation (the default)

animations: $(ANIMATION_FILES) ## every animated asset (GIF)

figures: $(FIGURE_FILES) ## every still (PNG)

summary: $(READY) ## print the tutorial's result block for DATA, LR, STEPS
	@$(PY) -m render summary --data "$(DATA)" --lr "$(LR)" --steps "$(STEPS)" --m0 "$(M0)" --b0 "$(B0)"

$(HISTORY): $(ENGINE_CODE) $(DATA_DEP) $(READY) $(PARAMS_CHANGED) | $(OUT)
	$(PY) -m render history --data "$(DATA)" --lr "$(LR)" --steps "$(STEPS)" --m0 "$(M0)" --b0 "$(B0)" --rates "$(RATES)" --out $@
	@printf '%s\n' '$(PARAMS)' > $(PARAMS_FILE).tmp && mv -f $(PARAMS_FILE).tmp $(PARAMS_FILE)

$(OUT)/%.png: scenes/%.py $(SCENE_CODE) $(HISTORY) $(DATA_DEP) | $(OUT)
	$(PY) -m render scene $* --data "$(DATA)" --history $(HISTORY) --lr "$(LR)" --out $@

$(OUT)/%.gif: scenes/%.py $(SCENE_CODE) $(HISTORY) $(DATA_DEP) | $(OUT)
	$(PY) -m render scene $* --data "$(DATA)" --history $(HISTORY) --lr "$(LR)" --out $@

$(OUT):
	mkdir -p $@

# The virtual environment: rebuilt when the lock changes, and with it every asset.
$(READY): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

test: $(READY) ## set up and run the test suite
	$(PY) -m pytest

clean: ## remove every generated asset (keeps .venv)
	rm -f $(FIGURE_FILES) $(ANIMATION_FILES) $(HISTORY) $(PARAMS_FILE) $(OUT)/.*.tmp

lock: ## re-resolve pyproject.toml's ranges and pin the result in requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude gd-animations; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

help: ## list the targets
	@grep -hE '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14
	@echo; echo "Settings: DATA=$(DATA) OUT=$(OUT) LR=$(LR) STEPS=$(STEPS) M0=$(M0) B0=$(B0) RATES='$(RATES)'"
