// libFuzzer: the cost profile loader (run/compare --profile) on any bytes: a ProfileError naming
// the file, the JSON path and the fix, or a profile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/cost/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto p = ol::cost::Profile::parse(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>");
    (void)ol::cost::Profile::parse(p.to_json(), "<fuzz>");  // what it writes it reads back
  } catch (const ol::cost::ProfileError&) {
  }
  return 0;
}
