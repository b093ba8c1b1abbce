# The two commands of the README (and the CLI and app shortcuts). Everything else lives in
# scripts/ and CMakePresets.json.
.PHONY: run cli app test build clean
ARGS ?= estimate --model llama-3.1-8b --gpu h100-sxm
PORT ?= 8080

# Build the web calculator and serve it on http://localhost:$(PORT) (Ctrl+C stops the server).
run:
	@bash scripts/setup.sh
	@bash scripts/web_build.sh
	@node scripts/web_serve.mjs --port $(PORT)

# Build the CLI and print an estimate (override with: make cli ARGS="estimate --model ... ").
cli:
	@bash scripts/setup.sh
	@cmake --preset native >/dev/null
	@cmake --build --preset native --target pertoken >/dev/null
	@./build/native/pertoken $(ARGS)

# Build and start the desktop app (Dear ImGui + GLFW); pass options with APP_ARGS="--theme light".
app:
	@bash scripts/setup.sh
	@cmake --preset native >/dev/null
	@cmake --build --preset native --target pertoken-app >/dev/null
	@./build/native/pertoken-app $(APP_ARGS)

# Install, build and run every test (native, sanitizers, WebAssembly, fuzzing, benchmarks).
test:
	@bash scripts/test.sh

build:
	@cmake --preset native >/dev/null && cmake --build --preset native

clean:
	rm -rf build
