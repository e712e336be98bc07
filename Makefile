# virt_uri.toolkit — developer entry points.  `make demo` and `make test` set up
# everything they need on a fresh Debian 12 machine (run as root, or with sudo).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PY_VERSION ?= 3.13
VENV ?= .venv
REQUIREMENTS ?= requirements-test.txt
BIN := $(VENV)/bin
COLL_DIR := collections/ansible_collections/virt_uri/toolkit
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/collections
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
PYTEST_ARGS ?=

.PHONY: help deps bindep venv collection-link unit integration live test demo clean molecule
.PHONY: lint lint-venv yamllint ansible-lint docs-lint docs-examples docsite changelog-lint ansible-doc sanity units galaxy
.PHONY: test-matrix matrix-2.20 matrix-2.19
.PHONY: bench fuzz trixie-root bullseye-root mutate

help:
	@echo "make demo   - render a sample fleet's drives and libvirt.conf into ./build/demo/"
	@echo "make test   - install what is missing, then run every test"
	@echo "make unit | integration | live - one suite"
	@echo "make trixie-root - build/cache the QEMU 10.0 / libvirt 11.3 root the live tests also run on"
	@echo "make bullseye-root - build/cache the QEMU 5.2 root of the old-gate tests"
	@echo "make lint   - ansible-lint, yamllint, docs, changelog, ansible-doc, ansible-test sanity/units, galaxy"
	@echo "make test-matrix - unit and molecule on ansible-core 2.20/Py3.12 and 2.19/Py3.11, then make test"
	@echo "make bench  - filter, plugin-load and fleet benchmarks (tables; see benchmarks/README.md)"
	@echo "make fuzz   - the robustness properties and the differential fuzz with a large budget"
	@echo "make mutate - mutation testing of plugins/module_utils (mutmut; MUTATE_FILES, MUTATE_BUDGET)"

bindep:
	hack/install-bindep

$(BIN)/.stamp-$(notdir $(REQUIREMENTS)): $(REQUIREMENTS)
	test -x $(BIN)/python || "$$(hack/find-python $(PY_VERSION))" -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r $(REQUIREMENTS)
	touch $@

venv: $(BIN)/.stamp-$(notdir $(REQUIREMENTS))

# ansible-playbook, ansible-lint and ansible-doc find the collection through ./collections
# (ANSIBLE_COLLECTIONS_PATH above); pytest imports it from there through pytest-ansible
# (--ansible-unit-inject-only, pytest.ini).
collection-link:
	@mkdir -p $(dir $(COLL_DIR))
	@[ -L $(COLL_DIR) ] || ln -sfn ../../.. $(COLL_DIR)

deps: bindep venv collection-link

# The second oracle generation (QEMU 10.0 / libvirt 11.3): a Debian trixie root built once by
# mmdebstrap and cached under /var/cache/virt_uri_toolkit/, keyed by its package list.
trixie-root: bindep
	hack/debian-root trixie

# QEMU 5.2 (Debian 11), the old side of the QEMU gates between 5.2 and 7.2
# (tests/live/drive/test_old_qemu_gates_live.py); same cache, about 40 s and 290 MB.
bullseye-root: bindep
	hack/debian-root bullseye

unit: deps
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

integration: deps
	$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

live: deps trixie-root bullseye-root
	$(BIN)/python -m pytest tests/live $(PYTEST_ARGS)

test: deps trixie-root bullseye-root
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests $(PYTEST_ARGS)
	$(MAKE) lint
	$(MAKE) molecule

demo: deps
	PATH="$(CURDIR)/$(BIN):$$PATH" hack/demo

# Benchmarks print tables (figures recorded in benchmarks/README.md); nothing is asserted on time.
bench: deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/bench_filters.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/bench_fleet.py

# The robustness properties with a large hypothesis budget (FUZZ_EXAMPLES, default 3000 each),
# and the differential fuzz (generated names opened by QEMU 7.2 and 10.0, URIs read by libvirt
# 9.0 and 11.3) with thousands of cases (FUZZ_CASES); `make test` runs a few hundred of them.
DIFFERENTIAL := tests/live/drive/test_drive_differential_fuzz.py tests/live/libvirt/test_libvirt_differential_fuzz.py
fuzz: deps trixie-root
	FUZZ=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests/robustness $(DIFFERENTIAL) $(PYTEST_ARGS)

# The role scenarios (extensions/molecule/*): a fleet of podman containers, bookworm (libvirt
# 9.0, QEMU 7.2) and trixie (libvirt 11.3, QEMU 10.0) hosts built from Debian packages by
# hack/fleet-image (cached under /var/cache/virt_uri_toolkit/); each host's own virsh and
# qemu-img check what the roles wrote on its real paths. One molecule run at a time on the
# machine (flock); containers.podman's connection plugin comes from hack/podman-collection.
# MOLECULE_SCENARIOS: "--all" or "--scenario-name NAME".
MOLECULE_SCENARIOS ?= --all
molecule: deps
	cd extensions && flock /tmp/virt_uri_molecule.lock env PATH="$(CURDIR)/$(BIN):$$PATH" \
	  ANSIBLE_COLLECTIONS_PATH="$(CURDIR)/collections:$$($(CURDIR)/hack/podman-collection $(CURDIR)/$(BIN)/python)" \
	  $(CURDIR)/$(BIN)/molecule test $(MOLECULE_SCENARIOS)

# Mutation testing (not part of .ci/run: over an hour on 2 cores for all of module_utils). One
# mutmut run over MUTATE_FILES (default: every module of plugins/module_utils), the unit tests
# only, MUTATE_BUDGET seconds in all, MUTATE_JOBS workers (default 1); score and survivors per
# file (hack/mutate: run in build/mutate, an ansible_collections layout).
MUTATE_FILES ?= $(filter-out %/__init__.py,$(shell git ls-files 'plugins/module_utils/*.py'))
mutate: deps
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-mutate.txt
	hack/mutate $(BIN)/mutmut $(MUTATE_FILES)

clean:
	rm -rf build collections .pytest_cache tests/output

# ---------------------------------------------------------------- lint (make test calls it)
# The lint tools have their own venv (same ansible-core as the default test venv).
LINT_VENV ?= .venv-lint
LINT_BIN := $(LINT_VENV)/bin
LINT_PATH := PATH="$(CURDIR)/$(LINT_BIN):$$PATH"

$(LINT_BIN)/.stamp-requirements-lint.txt: requirements-lint.txt
	test -x $(LINT_BIN)/python || "$$(hack/find-python 3.13)" -m venv $(LINT_VENV)
	$(LINT_BIN)/python -m pip install -q --disable-pip-version-check -r requirements-lint.txt
	touch $@

lint-venv: $(LINT_BIN)/.stamp-requirements-lint.txt

LINT_CHECKS := yamllint ansible-lint docs-lint docs-examples docsite changelog-lint ansible-doc sanity units galaxy

# Every check runs (-k) and the target fails if any failed, so one run shows every problem.
lint:
	$(MAKE) -k $(LINT_CHECKS)

yamllint: lint-venv
	$(LINT_BIN)/yamllint -s .

ansible-lint: lint-venv collection-link
	$(LINT_PATH) $(LINT_BIN)/ansible-lint --offline

docs-lint: lint-venv
	$(LINT_PATH) $(LINT_BIN)/antsibull-docs lint-collection-docs --plugin-docs .

# The guides' worked examples are run through the filters (ansible-playbook) and must match.
docs-examples: venv collection-link
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python hack/check_doc_examples.py docs/docsite/rst/*.rst

# The docs site (antsibull-docs + Sphinx, offline) into build/docsite/build/html.
docsite: lint-venv collection-link
	hack/build-docsite $(LINT_BIN)

changelog-lint: lint-venv
	$(LINT_BIN)/antsibull-changelog lint
	$(LINT_BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

ansible-doc: venv collection-link
	hack/check-ansible-doc $(BIN)

# ansible-test from a copy laid out as ansible_collections/virt_uri/toolkit (hack/ansible-test).
sanity: venv
	hack/ansible-test $(BIN)/python sanity --python $(PY_VERSION) --local

units: venv
	hack/ansible-test $(BIN)/python units --venv --python $(PY_VERSION)

galaxy: lint-venv
	hack/galaxy-check $(LINT_BIN)

# ---------------------------------------------------------------- test matrix (CI runs it)
# Older supported ansible-core releases, each in its own venv: the unit and molecule suites.
# The container fleet costs minutes per scenario (podman exec per task), so the older entries
# run only the default scenario (both roles, every check) and `make test` runs them all; see
# MOLECULE_TIMES in benchmarks/README.md for the measured figures.
MATRIX_MOLECULE ?= --scenario-name default
matrix-2.20:
	$(MAKE) unit molecule VENV=.venv-2.20 PY_VERSION=3.12 REQUIREMENTS=requirements-test-2.20.txt \
	  MOLECULE_SCENARIOS="$(MATRIX_MOLECULE)"

matrix-2.19:
	$(MAKE) unit molecule VENV=.venv-2.19 PY_VERSION=3.11 REQUIREMENTS=requirements-test-2.19.txt \
	  MOLECULE_SCENARIOS="$(MATRIX_MOLECULE)"

test-matrix:
	$(MAKE) matrix-2.20
	$(MAKE) matrix-2.19
	$(MAKE) test
