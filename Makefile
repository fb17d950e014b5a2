# HearingDesk: `make run` sets up and launches the app; `make test` sets up and runs every test.
# Both work on a fresh Debian 12 machine (they install what they need, with sudo when not root).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# A CI run builds once from a clean clone: incremental caches would only fill the disk (the
# workspace's test binaries with them took over 40 GB).
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

# Debian packages to build and run the Tauri app (WebKitGTK) and show Chinese text.
APT_RUN := libwebkit2gtk-4.1-dev libsoup-3.0-dev libayatana-appindicator3-dev librsvg2-dev \
           build-essential libssl-dev pkg-config file curl fonts-noto-cjk poppler-utils xdg-utils \
           python3-fonttools
# Extra packages for the tests: a virtual display, WebKit's WebDriver, screenshots, PDF tools.
APT_TEST := xvfb x11-utils webkit2gtk-driver x11-apps imagemagick poppler-utils sqlite3 fonts-dejavu-core

.PHONY: run test deps-run deps-test ui-deps ui-build ui-check app rust-check rust-test e2e fonts \
        bindings screenshot clean doc-pages bench package package-test

## run: install what the app needs, build it, launch it.
run: deps-run ui-build fonts
	cargo build -p hearing-desk
	./target/debug/hearing-desk

## test: install what the tests need, then fmt, clippy, Rust tests, vitest, vue-tsc, GUI e2e.
test: deps-run deps-test ui-check ui-build rust-check rust-test app e2e package-test ci-trim package-arm64-test
	@echo "make test: all passed"

# ci-trim: on CI (CI=true), once the amd64 tests and the package test are done, drop the debug
# build's intermediate files (about 5 GB: test binaries, rlibs, build scripts) before the arm64
# cross build adds its own 4 GB; the debug binaries the arm64 test runs beside its own
# (target/debug/hearingctl, hearing-server) stay. A machine with little disk left failed there.
# Off CI it does nothing: a developer's target/ is kept between runs.
.PHONY: ci-trim
ci-trim:
ifeq ($(CI),true)
	rm -rf target/debug/deps target/debug/build target/debug/.fingerprint target/debug/bundle
	@df -h target | tail -1
endif

define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

deps-run:
	$(call apt_install,$(APT_RUN))
	@command -v cargo >/dev/null || { echo "Rust is needed: https://rustup.rs"; exit 1; }
	@command -v npm >/dev/null || { echo "Node.js 20 and npm are needed"; exit 1; }

deps-test: deps-run
	$(call apt_install,$(APT_TEST))
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

ui/node_modules/.package-lock.json: ui/package-lock.json ui/package.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui-deps: ui/node_modules/.package-lock.json

ui-build: ui-deps
	cd ui && npx vite build

ui-check: ui-deps
	cd ui && npx vue-tsc --noEmit
	cd ui && npx vitest run

fonts:
	scripts/fetch-fonts.sh

rust-check: fonts
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

rust-test: ui-build fonts
	scripts/test-postgres.sh cargo test --workspace --locked

## server-postgres-test: hearing-server's suites against SQLite and a throwaway PostgreSQL
## (installed from Debian when missing); rust-test runs the whole workspace with it up.
.PHONY: server-postgres-test
server-postgres-test:
	scripts/test-postgres.sh

# The GUI e2e of 同步 also runs a real hearing-server and a second desk through hearingctl.
app: ui-build fonts
	cargo build -p hearing-desk -p hearing-server -p hearing-cli --locked

e2e: app
	tests/e2e/run.sh

## package: the release .deb, made by the Tauri bundler (front end, fonts and icons inside), in
## target/release/bundle/deb/. Users install it with
## `sudo apt-get install ./target/release/bundle/deb/hearing-desk_0.1.0_amd64.deb`.
package: deps-run ui-deps fonts
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb --ci
	@ls -1 target/release/bundle/deb/*.deb

## package-arm64: the release .deb for arm64 (信创 desktops: Kylin, UOS on Phytium, Kunpeng),
## cross-built on this amd64 machine — the app, plus hearingctl and hearing-server beside it in
## target/aarch64-unknown-linux-gnu/release/. Prepares its tool chain and an arm64 sysroot once
## (scripts/arm64-env.sh). The .deb lands in target/aarch64-unknown-linux-gnu/release/bundle/deb/.
.PHONY: package-arm64
package-arm64: deps-run ui-deps fonts
	. scripts/arm64-env.sh && cd src-tauri && ../ui/node_modules/.bin/tauri build --target aarch64-unknown-linux-gnu --bundles deb --ci
	. scripts/arm64-env.sh && cargo build --release --target aarch64-unknown-linux-gnu -p hearing-cli -p hearing-server --locked
	@ls -1 target/aarch64-unknown-linux-gnu/release/bundle/deb/*.deb

## package-arm64-test: the arm64 build checked through qemu-user emulation (tests/package/arm64-test.sh):
## the .deb's architecture and contents, a whole hearing by the arm64 hearingctl whose documents
## read as the amd64 ones, each build opening the other's desk and backup, and a sync between an
## amd64 and an arm64 desk through the arm64 hearing-server, and the arm64 app showing the 工作台
## in an arm64 root. Part of `make test` (the cross build adds about 15 minutes from scratch).
.PHONY: package-arm64-test
package-arm64-test: app package-arm64 deps-test
	tests/package/arm64-test.sh

## package-test: bundles the debug build `make app` made into a .deb with the same bundler
## settings as `make package` (a release build would add minutes to every test run), installs it
## with apt-get, starts the installed app under Xvfb, checks the 工作台, purges it and checks
## nothing is left. DEB=FILE tests that package instead (e.g. the release one).
package-test: deps-test app
ifeq ($(DEB),)
	cd src-tauri && ../ui/node_modules/.bin/tauri bundle --debug --bundles deb --ci
	tests/package/install-test.sh $$(ls -t target/debug/bundle/deb/hearing-desk_*.deb | head -1)
else
	tests/package/install-test.sh $(DEB)
endif

## bench: documents against LibreOffice headless, time and size, then the store at scale
## (bench-store), sync at scale (bench-sync), an approval across two desks
## (bench-notice), 待审批 at scale (bench-inbox), the committee's 通报, 类案 and 会商研判 proposals
## (bench-committee) and the app's start-up and memory (bench-app) (BENCHMARKS.md); not in
## `make test`.
bench:
	scripts/bench-docs.sh
	$(MAKE) bench-store
	$(MAKE) bench-sync
	$(MAKE) bench-notice
	$(MAKE) bench-inbox
	$(MAKE) bench-committee
	$(MAKE) bench-app

## bench-app: the release app under Xvfb on a desk with 10,000 cases (made once by
## bench-data): process start to the 工作台 interactive, as the UI reports it, and the memory of
## the app with its WebKit processes, and the same memory of a bare WebKitGTK web view
## (src-tauri/examples/bare-webview.rs, the floor) (BENCHMARKS.md, report in target/bench-app.md);
## not in `make test`.
.PHONY: bench-app
bench-app: deps-test ui-build fonts
	cargo build --release -p hearing-desk -p hearing-benchdata --locked
	cargo build --release -p hearing-desk --example bare-webview --locked
	scripts/bench-app.py

## bench-server: simulated desks syncing with a real hearing-server on loopback (200 desks × 60 s;
## HD_LOAD_DESKS, HD_LOAD_SECS …), throughput, latency, errors and a lost/duplicated check
## (BENCHMARKS.md, report in target/bench-server.md); not in `make test`.
.PHONY: bench-server
bench-server:
	@echo "bench-server: load average $$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
	cargo bench -p hearing-server --bench load --locked

## bench-store: the store with 100,000 cases and 1,000,000 testimony entries, generated once into
## target/bench-data/ by the release `bench-data` (crate hearing-benchdata) (a few minutes, ~3 GB) and reused:
## open, case list, testimony save, full-text search, statistics, warnings against the budgets
## (BENCHMARKS.md, report in target/bench-store.md); HD_STORE_CASES, HD_STORE_TESTIMONY,
## HD_STORE_REGEN=1 …; not in `make test`.
.PHONY: bench-store
bench-store:
	@echo "bench-store: load average $$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
	cargo build --release -p hearing-benchdata --locked
	cargo bench -p hearing-store --bench store --locked

## bench-sync: a desk of 10,000 cases and 1,000,000 testimony entries (made once by
## bench-data) pushes everything to a real hearing-server on loopback, an empty desk pulls it all
## (the first pull) and indexes it for search, then one change goes desk -> server -> desk N times (BENCHMARKS.md, report in
## target/bench-sync.md); HD_SYNC_CASES, HD_SYNC_TESTIMONY, HD_SYNC_CHANGES …; not in `make test`.
.PHONY: bench-sync
bench-sync:
	@echo "bench-sync: load average $$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
	cargo build --release -p hearing-benchdata -p hearing-server --locked
	cargo bench -p hearing-store --bench sync --locked

## bench-notice: an approval crossing a court's and its committee's desks through the real
## hearing-server on loopback, each desk told by the server's notice (GET /v1/wait): court decides
## → committee's 待审批 → committee decides → court has it, median and p95 over 50 rounds
## (HD_NOTICE_ROUNDS) against 5 s (BENCHMARKS.md, report in target/bench-notice.md); not in
## `make test`.
.PHONY: bench-notice
bench-notice:
	cargo build --release -p hearing-server --locked
	cargo bench -p hearing-store --bench notice --locked

## bench-inbox: 待审批 on a city committee's desk holding 100 orgs × 1,000 requests in 终结审批
## (HD_INBOX_ORGS, HD_INBOX_PER_ORG): the 工作台's page with the count against 50 ms, the whole
## list, the first read and a read after one decision (BENCHMARKS.md, report in
## target/bench-inbox.md); not in `make test`.
.PHONY: bench-inbox
bench-inbox:
	cargo bench -p hearing-store --bench inbox --locked

## bench-committee: a quarterly 通报 (figures, PDF, XLSX) against 2 s, 类案 grouping against 300 ms
## and the 会商研判 agenda's 预警 proposals against 200 ms, on the store bench's 100k-case dataset
## over ten counties (made once by the release bench-data); report in target/bench-committee.md.
.PHONY: bench-committee
bench-committee:
	@echo "bench-committee: load average $$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
	cargo build --release -p hearing-benchdata --locked
	cargo bench -p hearing-store --bench committee --locked

## doc-pages: take a demo case through a hearing with hearingctl and render page 1 of the
## closure decision, the transcript and the 送达回证 to docs/documents/ (shown in the README).
doc-pages: fonts
	scripts/doc-pages.sh

## fuzz: run each cargo-fuzz target (fuzz/) for FUZZ_SECONDS (60) on the stable compiler with
## RUSTC_BOOTSTRAP=1, installing cargo-fuzz if missing; not in `make test`, which replays the
## committed corpus (fuzz/regressions/). FUZZ_TARGETS picks targets, FUZZ_SANITIZER=address
## adds AddressSanitizer.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= validators sync_push sync_pull org_import template
FUZZ_SANITIZER ?= none
.PHONY: fuzz
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer $(FUZZ_SANITIZER) --debug-assertions
	@for t in $(FUZZ_TARGETS); do \
	  echo "== $$t: $(FUZZ_SECONDS) s"; mkdir -p fuzz/corpus/$$t; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $(FUZZ_SANITIZER) --debug-assertions $$t \
	    fuzz/corpus/$$t fuzz/regressions/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=30 -print_final_stats=1 \
	    || exit 1; \
	done

## bindings: regenerate ui/src/bindings.ts from the Rust commands.
bindings:
	HEARINGDESK_WRITE_BINDINGS=1 cargo test -p hearing-desk --test bindings

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
