# recon — the newcomer's path: `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PKGS   := build-essential cmake pkg-config libcurl4-openssl-dev libssl-dev \
              libjansson-dev libxml2-dev libmicrohttpd-dev libcmocka-dev \
              python3 python3-botocore awscli clang
FUZZ_SECONDS ?= 60

.PHONY: all deps build build-asan test test-unit demo fuzz bench reliability fmt clean

all: build

deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$(echo ' '$$missing)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "make deps: all packages present"; fi

$(BUILD)/Makefile $(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Asan
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Every test on the normal build, then the unit tests again under ASan+UBSan.
test: build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -L unit

demo: build
	./examples/demo.sh $(BUILD)

fuzz: deps
	cmake -S . -B build-fuzz -DRECON_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j $(JOBS)
	./tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	./bench/run.sh $(BUILD)

reliability: build
	./tests/reliability/run.sh $(BUILD)

fmt:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
