// overlaylab import: a scenario from a real cluster's kubectl dumps (runner/kube_import.h).
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "models/scenario/load.h"
#include "runner/atomic_file.h"
#include "runner/kube_import.h"

namespace ol::cli {

int cmd_import(const ImportCliOptions& o) {
  runner::ImportResult r;
  try {
    r = runner::import_cluster({o.nodes, o.configmap, o.pods, o.name});
  } catch (const runner::ImportError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  const std::string text = r.scenario.dump(2) + "\n";
  const std::string file = o.out.value_or("(the imported scenario)");
  try {  // what the loader would refuse is refused here, before anything is written
    scenario::load_text(text, file);
  } catch (const scenario::ScenarioError& e) {
    std::cerr << "import: the cluster does not make a scenario overlaylab can run:\n" << e.what() << "\n";
    return 2;
  }
  for (const auto& n : r.notes) std::cerr << "import: note: " << n << "\n";
  if (!o.out) {
    std::cout << text;
    return 0;
  }
  try {
    runner::write_atomically(*o.out, text);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  std::cerr << fmt::format("import: wrote {} ({} nodes)\n", *o.out, r.scenario["nodes"].size());
  return 0;
}

}  // namespace ol::cli
