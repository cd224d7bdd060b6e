// The benchmarks' command lines, read as overlaylab reads its own: --help prints and exits 0, a
// bad argument is named and exits 2.
#pragma once
#include <optional>

#include <CLI/CLI.hpp>

namespace ol::bench {

// nullopt: go on; otherwise the exit status.
inline std::optional<int> parse_args(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
}

}  // namespace ol::bench
