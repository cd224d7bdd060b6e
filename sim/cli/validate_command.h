// overlaylab validate: the real-namespace check (needs root).
#pragma once
#include <string>

namespace ol::cli {

struct ValidateCliOptions {
  std::string file;
  std::string mode = "all";
  bool cleanup = false;
  bool keep = false;
  std::string perturb;  // a node: drop one of its VXLAN FDB entries on the simulated side
};
int cmd_validate(const ValidateCliOptions& o);

}  // namespace ol::cli
