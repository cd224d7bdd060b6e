#include "sim/cli/validate_command.h"

#include <iostream>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "models/scenario/load.h"
#include "validate/cni_check.h"
#include "validate/real_builder.h"
#include "validate/validate.h"

namespace ol::cli {

int cmd_validate(const ValidateCliOptions& o) {
  if (::geteuid() != 0) {
    std::cerr << "validate: building real network namespaces needs root (CAP_NET_ADMIN)\n    fix: run it as root\n";
    return 2;
  }
  if (o.cleanup) {
    std::cout << fmt::format("removed {} leftover namespaces\n", validate::RealBuilder::cleanup_leftovers());
    return 0;
  }
  if (o.file.empty()) {
    std::cerr << "validate: name a scenario, or give --cleanup\n";
    return 2;
  }
  scenario::Scenario s;
  try {
    s = scenario::load_file(o.file);
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  std::vector<scenario::Backend> modes;
  if (o.mode == "all") modes = {scenario::Backend::HostGw, scenario::Backend::Vxlan, scenario::Backend::Udp};
  else if (auto b = scenario::parse_backend(o.mode)) modes = {*b};
  else {
    std::cerr << fmt::format("--mode: \"{}\" is not a mode\n    fix: use host-gw (or underlay), udp, vxlan or all\n", o.mode);
    return 2;
  }
  validate::install_signal_handlers();
  if (o.cni) return validate::cni_cross_check(s, std::cout);
  int worst = 0;
  for (auto m : modes) {
    const int rc = validate::validate_mode(s, m, std::cout, {.keep = o.keep, .perturb_node = o.perturb, .pcap_dir = o.pcap_dir, .sample = o.sample});
    if (rc == 130) return 130;
    if (rc == 1) worst = 1;
  }
  return worst;
}

}  // namespace ol::cli
