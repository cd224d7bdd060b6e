// A problem found in a scenario file: where (a JSON path such as $.nodes[2].address), what is
// wrong, and how to fix it. The loader throws ScenarioError holding the first few.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace ol::scenario {

struct Problem {
  std::string path;     // "$", "$.nodes[2].address", "$[\"net-conf.json\"].Backend.Type"
  std::string message;  // what is wrong
  std::string fix;      // what to write instead
};

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::vector<Problem> problems);
  std::string file;
  std::vector<Problem> problems;
};

// "$.a" + key → "$.a.key" (or $.a["net-conf.json"] when the key is not an identifier).
std::string path_key(const std::string& parent, const std::string& key);
std::string path_index(const std::string& parent, std::size_t i);

}  // namespace ol::scenario
