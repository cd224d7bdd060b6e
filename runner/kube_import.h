// overlaylab import: a scenario from what an operator can dump from a real cluster —
//   kubectl get nodes -o json                             (names, addresses, spec.podCIDR, flannel's annotations)
//   kubectl -n kube-flannel get cm kube-flannel-cfg -o json (net-conf.json, cni-conf.json)
//   kubectl get pods -A -o wide   (or -o json), optional  (which pods run on which node)
// so a person can walk packets through a copy of their own cluster. Names are shortened to what a
// network namespace takes; the mapping is kept in the scenario's description.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ol::runner {

struct ImportInputs {
  std::string nodes_file, configmap_file;
  std::optional<std::string> pods_file;
  std::string name = "imported";
};

// A problem with one input: the file, a JSON path (or "line N" for the pods table) and the fix.
class ImportError : public std::runtime_error {
 public:
  ImportError(std::string file, std::string where, const std::string& what, std::string fix);
  std::string file, where, fix;
};

struct ImportResult {
  nlohmann::json scenario;
  std::vector<std::string> notes;  // what was assumed or left out, for the person importing
};

// Reads the files and builds the scenario JSON. Throws ImportError.
ImportResult import_cluster(const ImportInputs& in);

}  // namespace ol::runner
