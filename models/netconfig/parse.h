// An iproute2 script → NetConfig, for the subset render() prints. Also accepts the common spellings
// a person types: "ip netns exec NS ip …", "link add name X", "link set X up", "route delete".
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

#include "models/netconfig/ops.h"

namespace ol::netconfig {

class ParseError : public std::runtime_error {
 public:
  ParseError(std::string file, int line, std::string text, std::string why);
  std::string file;
  int line;
  std::string text;
  std::string why;
};

// `file` only names the source in error messages. Blank lines, "#!" and "set -e…" lines are
// skipped; a "# text" comment sets the origin of the commands after it ("#" alone clears it).
NetConfig parse_script(std::string_view script, const std::string& file = "<script>");
NetConfig parse_file(const std::string& path);  // throws std::runtime_error when unreadable

}  // namespace ol::netconfig
