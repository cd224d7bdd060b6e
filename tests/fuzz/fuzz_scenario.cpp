// libFuzzer: the scenario loader on any bytes. It must refuse with a ScenarioError (file, JSON path,
// fix) or load; never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/scenario/load.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    ol::scenario::load_text(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>");
  } catch (const ol::scenario::ScenarioError&) {
  }
  return 0;
}
