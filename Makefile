# The two set-up commands of README.md: `make demo` and `make check`. Both run scripts/setup first.
MAKEFLAGS += --no-print-directory
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
ARM64_JOBS ?= 2

.PHONY: all setup build check test check-asan check-arm64 fuzz demo bench clean

all: build

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Every test, then the mrtd tests and fuzz seeds under AddressSanitizer + UBSan.
check: test check-asan

check-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTTI_ONLY_MRTD=ON -DPORTTI_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# Cross-build for the kiosk's 64-bit ARM (arm64 sysroot in build-arm64/) and every test under
# qemu-user; slow, so not part of `make check`. docs/deploy.md: flags, sizes, the device image.
check-arm64: setup
	@JOBS=$(ARM64_JOBS) scripts/check-arm64

# Each libFuzzer target for FUZZ_SECONDS, starting from its committed seeds.
fuzz: setup
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTTI_ONLY_MRTD=ON -DPORTTI_SANITIZE=ON -DPORTTI_LIBFUZZER=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for f in $(FUZZ_BUILD)/bin/fuzz_*; do \
	  n=$$(basename $$f); mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 $(FUZZ_BUILD)/corpus/$$n fuzz/corpus/$$n 2>&1 | tail -2 || exit 1; \
	done

demo: build
	@scripts/demo

bench: build
	@for b in $(BUILD)/bin/bench_*; do echo "== $$(basename $$b)"; $$b || exit 1; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
