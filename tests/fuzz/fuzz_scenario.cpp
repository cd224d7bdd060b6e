// libFuzzer: the scenario loader on any bytes. It must refuse with a ScenarioError (file, JSON path,
// fix) or load; never crash, hang or leak. A small scenario that loads is then brought to life —
// boot, joins, leaves, reboots, flanneld crashes and restarts, link and etcd faults — until the
// control plane settles, so every event sequence the checker lets through is run.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lab/session.h"
#include "models/scenario/load.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ol::scenario::Scenario s;
  try {
    s = ol::scenario::load_text(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>");
  } catch (const ol::scenario::ScenarioError&) {
    return 0;
  }
  std::size_t pods = 0;
  for (const auto& n : s.nodes) pods += n.pods.size();
  if (s.nodes.size() > 8 || pods > 24 || s.events.size() > 32) return 0;  // keep each input fast
  ol::cluster::Session session(std::move(s), /*keep_log=*/false);
  session.cluster.converge();
  return 0;
}
