// What several subcommands take first: a scenario file and --mode. Errors are printed the same way
// by all of them (the loader's file/JSON-path/fix message; the modes there are).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/spec.h"

namespace ol::cli {

// The loaded scenario, or nothing (the loader's message printed on stderr).
std::optional<scenario::Scenario> load_scenario(const std::string& file);
// "all" or one mode's name; nothing (printed why) for anything else. `all` lists them in `order`.
std::optional<std::vector<scenario::Backend>> parse_modes(const std::string& mode, const std::vector<scenario::Backend>& order = {
    scenario::Backend::HostGw, scenario::Backend::Udp, scenario::Backend::Vxlan});

}  // namespace ol::cli
