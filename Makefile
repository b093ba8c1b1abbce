# The two commands of the README. Everything else lives in scripts/ and CMakePresets.json.
.PHONY: run test build clean
ARGS ?= estimate --model llama-3.1-8b --gpu h100-sxm

# Build the CLI and print an estimate (override with: make run ARGS="estimate --model ... ").
run:
	@bash scripts/setup.sh
	@cmake --preset native >/dev/null
	@cmake --build --preset native --target pertoken >/dev/null
	@./build/native/pertoken $(ARGS)

# Install, build and run every test (native, sanitizers, WebAssembly, fuzzing, benchmarks).
test:
	@bash scripts/test.sh

build:
	@cmake --preset native >/dev/null && cmake --build --preset native

clean:
	rm -rf build
