RAW ?= raw
OUT ?= out
FORCE ?=
TSX := node_modules/.bin/tsx
DEPS := node_modules/.package-lock.json

.PHONY: dataset test typecheck eval-segment eval-tag eval-dedup gazetteer release bench profile clean

# Installs dependencies on a fresh clone, and again whenever the lock file changes. `npm install --no-save`
# installs the locked versions; `npm ci` refuses this lock because it lacks optional packages for other
# platforms that the registry here does not serve.
$(DEPS): package-lock.json
	npm install --no-audit --no-fund --no-save
	@touch $@

# The build runs from one bundled file per thread (esbuild): loading Effect's hundreds of modules one by
# one, through tsx, took 1.5 s of every run.
BUILD := dist/pipeline/build.js
$(BUILD): $(DEPS) package.json $(wildcard src/*.ts pipeline/*.ts pipeline/*.mjs lexicons/*.json)
	node_modules/.bin/esbuild pipeline/build.ts pipeline/build-worker.ts --bundle --platform=node --format=esm --target=node20 \
	  --outdir=dist/pipeline --external:snappy --external:piscina --log-level=warning \
	  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
	cp pipeline/build-worker.mjs dist/pipeline/

# V8's parallel and concurrent GC helpers cost more CPU than they save when the workers already fill
# both cores: on SaudiNewsNet their threads took ~9 CPU-seconds, ~4 with single-threaded GC.
# Each heap starts with room for 64 MB of old objects (V8 starts small and re-decides after each full
# collection): the main thread, whose live heap is small, otherwise ran a full collection every ~150 ms
# through pass 2 in most builds (22–31 of them, 1.1–1.5 CPU-seconds), and the workers 21 each, not 11.
# TurboFan inlines at most 300 bytes of bytecode into a function, not 920: the build's large functions
# (analyze, segment, patternAt, csvAndJsonl) are compiled again after each deopt, 6–16 times, and smaller
# graphs halve the compilers' time (--trace-opt: 6.0 → 3.5 s summed) for code as fast.
# Each thread compiles its hot functions itself, not on V8's four compiler threads: those took 2.2–3.1
# CPU-seconds on SaudiNewsNet, the threads' own compiling ~2 more; of 15 alternated pairs of builds, 10 were
# faster with it (on average 8.75 against 9.19 s wall, 16.0 against 16.7 CPU-seconds).
# A function is optimized after twice the default interrupt budget (67584): with the compiling on the
# threads' own time, fewer functions reach TurboFan, each with more type feedback (fewer deopts and
# compiles again). In 9 alternated rounds, 8 builds were faster: 7.18 against 7.63 s wall on average.
NODE_FLAGS := --single-threaded-gc --initial-old-space-size=64 --max-inlined-bytecode-size-cumulative=300 --no-concurrent-recompilation --interrupt-budget=135168

dataset: $(BUILD)
	node $(NODE_FLAGS) $(BUILD) --raw "$(RAW)" --out "$(OUT)" $(if $(FORCE),--force)

typecheck: $(DEPS)
	node_modules/.bin/tsc --noEmit

test: typecheck
	node_modules/.bin/vitest run

eval-segment: $(DEPS)
	$(TSX) pipeline/eval-segment.ts --out "$(OUT)"

eval-tag: $(DEPS)
	$(TSX) pipeline/eval-tag.ts --out "$(OUT)"

# Rebuilds lexicons/places.json from GeoNames data (needs Debian's libgeonames-common).
gazetteer: $(DEPS)
	@test -f /usr/share/locale/ar/LC_MESSAGES/geonames.mo || (apt-get update -qq && apt-get install -y -qq libgeonames-common)
	$(TSX) pipeline/build-gazetteer.ts

clean:
	rm -rf "$(OUT)/mosul-news-ar"

CORPUS ?= ../shared/corpora/saudinewsnet

eval-dedup: $(DEPS)
	$(TSX) pipeline/eval-dedup.ts --corpus "$(CORPUS)"

release: $(DEPS)
	$(TSX) pipeline/release.ts --out "$(OUT)"

# Speed and memory on a real corpus (default: SaudiNewsNet, unpacked to a temporary folder).
bench: $(BUILD)
	BUILD_NODE_FLAGS="$(NODE_FLAGS)" $(TSX) pipeline/bench.ts $(if $(filter-out ../shared/corpora/saudinewsnet,$(CORPUS)),--corpus "$(CORPUS)") $(if $(REPEAT),--repeat $(REPEAT))

# CPU profiles of a build of RAW (main thread and workers), from a compiled copy so functions keep their names.
PROFILE := out/.profile
profile: $(DEPS)
	rm -rf $(PROFILE) && node_modules/.bin/tsc --noEmit false --outDir $(PROFILE) && cp pipeline/build-worker.mjs $(PROFILE)/pipeline/
	node $(NODE_FLAGS) --cpu-prof --cpu-prof-dir=$(PROFILE)/profiles $(PROFILE)/pipeline/build.js --raw "$(RAW)" --out $(PROFILE)/out --timings
	$(TSX) pipeline/profile-top.ts $(PROFILE)/profiles/*.cpuprofile
