#include "models/scenario/load.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "models/scenario/check.h"
#include "models/scenario/schema_check.h"

namespace ol::scenario {

using nlohmann::json;

const Node* Scenario::node(std::string_view n) const {
  for (const auto& x : nodes)
    if (x.name == n) return &x;
  return nullptr;
}

const Node* Scenario::node_of_pod(std::string_view pod) const {
  for (const auto& x : nodes)
    if (std::find(x.pods.begin(), x.pods.end(), pod) != x.pods.end()) return &x;
  return nullptr;
}

std::unordered_map<std::string_view, const Node*> Scenario::pod_homes() const {
  std::unordered_map<std::string_view, const Node*> out;
  for (const auto& x : nodes)
    for (const auto& p : x.pods) out.emplace(p, &x);
  return out;
}

std::optional<Nanos> parse_duration(std::string_view s) {
  std::size_t unit = s.find_first_not_of("0123456789.");
  if (unit == 0 || unit == std::string_view::npos) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + unit, v);
  if (ec != std::errc() || p != s.data() + unit) return std::nullopt;
  auto u = s.substr(unit);
  double scale = u == "ns" ? 1 : u == "us" ? 1e3 : u == "ms" ? 1e6 : u == "s" ? 1e9 : u == "min" ? 60e9 : u == "h" ? 3600e9 : -1;
  if (scale < 0 || v * scale > 9e18) return std::nullopt;
  return Nanos(std::llround(v * scale));
}

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioError(path, {{"$", "cannot read the file", "check the path (scenarios live in scenarios/)"}});
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json parse_json(std::string_view text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') ++line, col = 1;
      else ++col;
    }
    std::string what = e.what();
    if (auto c = what.find(": syntax error"); c != std::string::npos) what = what.substr(c + 2);
    else if (auto b = what.find("] "); b != std::string::npos) what = what.substr(b + 2);
    throw ScenarioError(file, {{"$", fmt::format("not valid JSON (line {}, column {}): {}", line, col, what),
                                "fix the JSON syntax there: a missing comma, quote, colon or bracket"}});
  } catch (const json::out_of_range& e) {  // a number no double holds, e.g. 1e999 (found by fuzzing)
    std::string what = e.what();
    if (auto b = what.find("] "); b != std::string::npos) what = what.substr(b + 2);
    throw ScenarioError(file, {{"$", fmt::format("not valid JSON: {}", what), "write every number within a double's range"}});
  }
}

}  // namespace

Scenario load_text(std::string_view text, const std::string& file) {
  json doc = parse_json(text, file);
  std::vector<Problem> problems;
  check_schema(scenario_schema(), doc, problems);
  if (!problems.empty()) throw ScenarioError(file, std::move(problems));
  Scenario s = build_scenario(doc, problems);
  s.file = file;
  if (!problems.empty()) throw ScenarioError(file, std::move(problems));
  return s;
}

Scenario load_file(const std::string& path) { return load_text(read_all(path), path); }

void override_backend(Scenario& s, Backend b) {
  NetConf& n = s.net_conf;
  json old = n.verbatim.value("Backend", json::object());
  json nb = {{"Type", backend_name(b)}};
  if (n.backend == b) nb = old;
  if (n.mtu) nb["MTU"] = *n.mtu;
  if (n.backend != b) {
    n.port.reset();
    n.vni = 1;
    n.direct_routing = false;
  }
  n.backend = b;
  n.backend_given = true;
  n.verbatim["Backend"] = nb;
}

}  // namespace ol::scenario
