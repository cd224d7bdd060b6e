// The non-empty lines of a table dump (ip/bridge print one entry per line).
#pragma once
#include <sstream>
#include <string>
#include <vector>

namespace ol::runner {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace ol::runner
