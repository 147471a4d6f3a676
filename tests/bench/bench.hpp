#pragma once
// inkan-bench: each benchmark is one file of tests/bench/ that registers itself here, so the
// benchmarks grow without touching a shared list. A benchmark prints its figures (and the
// comparison it takes in the same run) to stdout; nothing here asserts a time.
#include <functional>
#include <string>
#include <vector>

namespace inkan::bench {

struct Options {
  bool smoke = false;          // a few seconds: prove the bench builds and runs, no figures claimed
  std::vector<std::string> args;  // the arguments after the benchmark's name
};

struct Benchmark {
  std::string name;     // e.g. "batch"
  std::string summary;  // one line for `inkan-bench --help`
  // The options, for `inkan-bench NAME --help`. Every `--flag` it mentions is accepted; any
  // other is refused before the run, so that a typo does not silently measure the defaults.
  std::string usage;
  std::function<int(const Options&)> run;  // exit status
};

// Called from a static initializer in each benchmark's file; returns true for that purpose.
bool register_benchmark(Benchmark benchmark);
const std::vector<Benchmark>& benchmarks();

}  // namespace inkan::bench
