#include "cli/scenario_args.h"

#include <iostream>

#include <fmt/format.h>

#include "models/scenario/load.h"

namespace ol::cli {

std::optional<scenario::Scenario> load_scenario(const std::string& file) {
  try {
    return scenario::load_file(file);
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return std::nullopt;
  }
}

std::optional<std::vector<scenario::Backend>> parse_modes(const std::string& mode, const std::vector<scenario::Backend>& order) {
  if (mode == "all") return order;
  if (auto b = scenario::parse_backend(mode)) return std::vector{*b};
  std::cerr << fmt::format("--mode: \"{}\" is not a mode\n    fix: use host-gw (or underlay), udp, vxlan or all\n", mode);
  return std::nullopt;
}

}  // namespace ol::cli
