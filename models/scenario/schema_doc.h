// The scenario format's reference, written from scenarios/schema.json's own descriptions, so the
// docs cannot drift from what the loader checks: `overlaylab scenario-format` prints it and
// scenarios/README.md carries the same text (a test compares them).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace ol::scenario {

// Markdown: the value types, then one table of keys per object, top level first.
std::string schema_markdown(const nlohmann::json& schema);

}  // namespace ol::scenario
