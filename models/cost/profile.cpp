#include "models/cost/profile.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ol::cost {

namespace {

constexpr std::array<const char*, kSteps> kNames = {
#define OL_COST_STEP_NAME(name, function) #function,
    OL_COST_STEPS(OL_COST_STEP_NAME)
#undef OL_COST_STEP_NAME
};

}  // namespace

const char* step_name(Step s) { return kNames[std::size_t(s)]; }

Profile Profile::parse(const std::string& text, const std::string& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // a syntax error, or a number no double holds (1e999)
    throw ProfileError(fmt::format("{}: $: not valid JSON: {}\n    fix: correct the JSON syntax", file, e.what()));
  }
  auto fail = [&](const std::string& path, const std::string& what, const std::string& fix) {
    throw ProfileError(fmt::format("{}: {}: {}\n    fix: {}", file, path, what, fix));
  };
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_object())
    fail("$", "a profile needs \"steps\": {name: {per_packet_ns, per_byte_ns, source}}", "start from models/cost/default.json");
  // Every key of the wrong type is named (fuzzing found a number for "profile" aborting the run).
  auto string_at = [&](const nlohmann::json& o, const char* key, const std::string& path, std::string fallback) {
    if (!o.contains(key)) return fallback;
    if (!o[key].is_string()) fail(path, "must be a string", "write it in quotes");
    return o[key].get<std::string>();
  };
  Profile p;
  p.name = string_at(j, "profile", "$.profile", "unnamed");
  p.description = string_at(j, "description", "$.description", "");
  if (j.contains("version") && !j["version"].is_number_integer()) fail("$.version", "must be an integer", "write e.g. 1");
  p.version = j.value("version", 0);
  for (auto it = j["steps"].begin(); it != j["steps"].end(); ++it) {
    const std::string path = "$.steps." + it.key();
    std::size_t i = 0;
    while (i < kSteps && it.key() != kNames[i]) ++i;
    if (i == kSteps) {
      std::string all;
      for (auto* n : kNames) all += (all.empty() ? "" : ", ") + std::string(n);
      fail(path, fmt::format("unknown step \"{}\"", it.key()), "use one of " + all);
    }
    const auto& v = it.value();
    if (!v.is_object()) fail(path, "must be an object", "write {\"per_packet_ns\": 120, \"per_byte_ns\": 0.1, \"source\": \"…\"}");
    for (const char* k : {"per_packet_ns", "per_byte_ns"})
      if (v.contains(k) && (!v[k].is_number() || v[k].get<double>() < 0))
        fail(path + "." + k, "must be a number of nanoseconds, 0 or more", "write e.g. 120 or 0.1");
    p.steps[i] = {v.value("per_packet_ns", 0.0), v.value("per_byte_ns", 0.0), string_at(v, "source", path + ".source", "")};
  }
  return p;
}

std::string Profile::to_json() const {
  nlohmann::ordered_json j;
  j["profile"] = name;
  j["version"] = version;
  j["description"] = description;
  auto& st = j["steps"];
  for (std::size_t i = 0; i < kSteps; ++i)
    st[kNames[i]] = {{"per_packet_ns", steps[i].per_packet_ns}, {"per_byte_ns", steps[i].per_byte_ns}, {"source", steps[i].source}};
  return j.dump(2) + "\n";
}

Profile Profile::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ProfileError(fmt::format("{}: cannot read the file\n    fix: check the path", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

}  // namespace ol::cost
