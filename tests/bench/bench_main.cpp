// inkan-bench [--smoke] NAME [ARGS...] | all
// Runs the named benchmark (or every one, in registration order) and prints its figures.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "tests/bench/bench.hpp"

namespace inkan::bench {

namespace {
std::vector<Benchmark>& registry() {
  static std::vector<Benchmark> all;
  return all;
}

void usage(FILE* out) {
  std::fprintf(out,
               "usage: inkan-bench [--smoke] NAME [ARGS...]\n"
               "       inkan-bench [--smoke] all\n\n"
               "Prints figures, and the comparisons each benchmark takes in the same run.\n"
               "--smoke runs a few seconds of each, to prove it builds and runs; it claims no figures.\n"
               "How to reproduce every figure of docs/benchmarks.md is written there.\n"
               "inkan-bench NAME --help lists the options of one benchmark.\n\n"
               "benchmarks:\n");
  for (const auto& b : registry()) std::fprintf(out, "  %-14s %s\n", b.name.c_str(), b.summary.c_str());
}
// Runs one benchmark; what it throws ends it with status 1 and one line naming it.
int run_one(const Benchmark& b, const Options& options) {
  try {
    return b.run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "inkan-bench %s: %s\n", b.name.c_str(), e.what());
    return 1;
  }
}

// Whether `usage` names `flag` as a whole word ("--n" is not accepted because of "--n-ec").
bool mentions_flag(const std::string& usage, const std::string& flag) {
  for (auto at = usage.find(flag); at != std::string::npos; at = usage.find(flag, at + 1)) {
    const auto end = at + flag.size();
    const bool starts = at == 0 || usage[at - 1] == ' ' || usage[at - 1] == '[' || usage[at - 1] == '\n';
    const bool ends = end == usage.size() || !(std::isalnum(static_cast<unsigned char>(usage[end])) || usage[end] == '-');
    if (starts && ends) return true;
  }
  return false;
}
}  // namespace

bool register_benchmark(Benchmark benchmark) {
  registry().push_back(std::move(benchmark));
  return true;
}

const std::vector<Benchmark>& benchmarks() { return registry(); }

}  // namespace inkan::bench

int main(int argc, char** argv) {
  using namespace inkan::bench;
  Options options;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      options.smoke = true;
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "inkan-bench: unknown option %s\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (i >= argc) {
    usage(stderr);
    return 2;
  }
  const std::string name = argv[i++];
  options.args.assign(argv + i, argv + argc);
  const auto& all = benchmarks();
  if (name == "all") {
    int worst = 0;
    for (const auto& b : all) {
      std::printf("== %s\n", b.name.c_str());
      std::fflush(stdout);
      worst = std::max(worst, run_one(b, options));
    }
    return worst;
  }
  auto it = std::find_if(all.begin(), all.end(), [&](const Benchmark& b) { return b.name == name; });
  if (it == all.end()) {
    std::fprintf(stderr, "inkan-bench: no benchmark named %s\n", name.c_str());
    usage(stderr);
    return 2;
  }
  for (const auto& arg : options.args) {
    if (arg == "--help" || arg == "-h") {
      std::printf("inkan-bench [--smoke] %s: %s\n\n%s", it->name.c_str(), it->summary.c_str(), it->usage.c_str());
      return 0;
    }
    if (arg.rfind("--", 0) == 0 && !mentions_flag(it->usage, arg)) {
      std::fprintf(stderr, "inkan-bench %s: unknown option %s\n\n%s", it->name.c_str(), arg.c_str(), it->usage.c_str());
      return 2;
    }
  }
  return run_one(*it, options);
}
