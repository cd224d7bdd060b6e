// Loading a bundled scenario into a running session for the cluster tests.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "models/scenario/load.h"
#include "lab/session.h"

namespace ol::test {

inline std::unique_ptr<cluster::Session> session(const std::string& name, std::optional<std::string> mode = std::nullopt) {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/" + name);
  if (mode) scenario::override_backend(s, *scenario::parse_backend(*mode));
  return std::make_unique<cluster::Session>(std::move(s));
}

}  // namespace ol::test
