// overlaylab validate: the real-namespace check (needs root).
#pragma once
#include <string>

namespace ol::cli {

struct ValidateCliOptions {
  std::string file;
  std::string mode = "all";
  bool cleanup = false;
  bool keep = false;
};
int cmd_validate(const ValidateCliOptions& o);

}  // namespace ol::cli
