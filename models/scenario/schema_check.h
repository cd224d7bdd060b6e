// A JSON Schema checker for the subset scenarios/schema.json uses (type, properties, required,
// additionalProperties: false, items, enum, minimum/maximum, minItems/maxItems, minLength/maxLength,
// pattern, local $ref). The schema file is the single source of truth for the scenario's shape.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "models/scenario/problem.h"

namespace ol::scenario {

// Appends a Problem for each violation, up to `limit` problems in all.
void check_schema(const nlohmann::json& schema, const nlohmann::json& doc, std::vector<Problem>& out,
                  std::size_t limit = 8);

// The schema bundled into the binary (scenarios/schema.json at build time).
const nlohmann::json& scenario_schema();

}  // namespace ol::scenario
