#include "models/scenario/problem.h"

#include <cctype>

namespace ol::scenario {

namespace {

std::string describe(const std::string& file, const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) {
    if (!s.empty()) s += "\n";
    s += file + ": " + p.path + ": " + p.message;
    if (!p.fix.empty()) s += "\n    fix: " + p.fix;
  }
  return s;
}

bool identifier(const std::string& k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  for (char c : k)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace

ScenarioError::ScenarioError(std::string f, std::vector<Problem> ps)
    : std::runtime_error(describe(f, ps)), file(std::move(f)), problems(std::move(ps)) {}

std::string path_key(const std::string& parent, const std::string& key) {
  return identifier(key) ? parent + "." + key : parent + "[\"" + key + "\"]";
}

std::string path_index(const std::string& parent, std::size_t i) { return parent + "[" + std::to_string(i) + "]"; }

}  // namespace ol::scenario
