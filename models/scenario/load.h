// Reads a scenario file: JSON syntax, then the shape (scenarios/schema.json), then the meaning
// (addresses inside their segments, subnets aligned and disjoint, enough leases and addresses,
// names that exist). Every problem names the file, a JSON path and a fix; nothing is half-loaded.
#pragma once
#include <string>
#include <string_view>

#include "models/scenario/problem.h"
#include "models/scenario/spec.h"

namespace ol::scenario {

Scenario load_file(const std::string& path);                         // throws ScenarioError
Scenario load_text(std::string_view text, const std::string& file);  // throws ScenarioError

// --mode: replaces net-conf.json's Backend.Type, keeping the options that still apply.
void override_backend(Scenario& s, Backend b);

// "250ms" → 250'000'000; nullopt when not a duration.
std::optional<Nanos> parse_duration(std::string_view s);

}  // namespace ol::scenario
