# tradeloop: the two commands a user types are `make demo` and `make test` (README).
# Both install what is missing (scripts/bootstrap.sh), build, and run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CLI := $(BUILD_DIR)/bin/tradeloop

.PHONY: all bootstrap configure build demo test bench clean format

all: build

bootstrap:
	@bash scripts/bootstrap.sh

configure: bootstrap
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(CLI)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS) --timeout 900

# The indicator benches compare with Tulip Indicators in the same run when its source can be
# fetched (scripts/fetch_tulip.sh, npm); the build then includes tulip_compare_bench.
bench: bootstrap
	@bash scripts/fetch_tulip.sh
	@$(MAKE) --no-print-directory build
	@bash scripts/bench.sh $(BUILD_DIR)

format:
	@find include src apps tests bench -name '*.[ch]pp' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR)
