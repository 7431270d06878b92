# Everything runs inside .venv, created on first use from the python3 on PATH.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run prove test lint typecheck unit crosshair deep deep-shards bench bench-stateful bench-replay bench-gas bench-sweep loss-table predictive-eval mutants mutants-stateful clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the development tools (mypy, ruff, pytest, CrossHair, matplotlib): make test and friends
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# only what running zle needs: make run and make prove
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

## run: set up and run the main job: the proof report, then the Black Thursday comparison
run: $(RUN_STAMP)
	$(BIN)/zle prove
	$(BIN)/zle simulate blackthursday2020-1h

## prove: the proof suite report alone (JSON with every obligation: out/proofs.json)
prove: $(RUN_STAMP)
	mkdir -p out
	$(BIN)/zle prove --json out/proofs.json

## test: set up, then lint, type-check (mypy --strict) and run the test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict model proofs simulation crosscheck zle predictive benchmarks tests/stateful tests/symbolic

unit: $(STAMP)
	$(BIN)/pytest -n auto --dist loadgroup

## crosshair: search every PEP 316 contract of the model with CrossHair (a counterexample fails)
CROSSHAIR_TIMEOUT ?= 20
CONTRACTS := model/numbers/fixed_point.py model/curves/zero_loss.py model/curves/abaci.py \
	model/policies/gen3_zero_loss/zones.py model/policies/gen3_zero_loss/kick.py \
	model/rules/auctions.py model/rules/waterfall.py \
	tests/symbolic/kernels.py
crosshair: $(STAMP)
	$(BIN)/crosshair check --analysis_kind=PEP316 --per_condition_timeout=$(CROSSHAIR_TIMEOUT) \
		--report_all $(CONTRACTS)

## deep: the stateful machines with the long, random Hypothesis profile (nightly, and before a
## closing note; ~6 CPU min, 1.3 GB; in CI: ZLE_NIGHTLY=1 .ci/run)
deep: $(STAMP)
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest tests/stateful -p no:cacheprovider -s

## bench: engine throughput and peak memory (reported, never asserted)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine_throughput

## bench-stateful: engine steps/s inside the state machines, steps per profile (reported)
bench-stateful: $(STAMP)
	$(BIN)/python -m benchmarks.stateful_throughput

## bench-replay: replay steps/s and peak memory, 10,000 positions x 1,000,000 steps (reported)
bench-replay: $(STAMP)
	$(BIN)/python -m benchmarks.replay_throughput --positions 10000 --steps 1000000

## bench-gas: gas per kick, take and redo of contracts/auction_house.vy, per curve (reported)
bench-gas: $(STAMP)
	$(BIN)/python -m benchmarks.contract_gas

## bench-sweep: sweep runs/s with 1 and 2 Dask workers, and what 1 M runs cost (reported)
bench-sweep: $(STAMP)
	$(BIN)/python -m benchmarks.sweep_throughput --seeds 300

## deep-shards: the deep profile of the state machines, sharded over a LocalCluster
## (SCHEDULER=tcp://host:8786 for an existing Dask cluster)
deep-shards: $(STAMP)
	$(BIN)/zle machines --profile deep $(if $(SCHEDULER),--scheduler $(SCHEDULER),)

## loss-table: every shipped scenario under the three policies, the total economic loss (reported)
loss-table: $(STAMP)
	$(BIN)/python -m benchmarks.total_loss_table

## predictive-eval: train the early-warning model on synthetic paths, then reactive against
## predictive gen 3 on every shipped scenario; markdown, and the figures in docs/ (reported)
predictive-eval: $(STAMP)
	$(BIN)/python -m benchmarks.predictive_evaluation --plots docs

## mutants: run every proof obligation of each mutant's tasks against it (kill matrix)
mutants: $(STAMP)
	$(BIN)/zle mutants --scope tasks

## mutants-stateful: the same mutants against the Hypothesis machines (ci profile)
mutants-stateful: $(STAMP)
	$(BIN)/python -m tests.stateful.mutation_run --jobs 2

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
