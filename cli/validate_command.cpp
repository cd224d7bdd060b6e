#include "cli/validate_command.h"

#include <iostream>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/scenario_args.h"
#include "validate/calibrate.h"
#include "validate/cni_check.h"
#include "validate/real_builder.h"
#include "validate/validate.h"

namespace ol::cli {

namespace {

bool is_root(const char* what) {
  if (::geteuid() == 0) return true;
  std::cerr << fmt::format("{}: building real network namespaces needs root (CAP_NET_ADMIN)\n    fix: run it as root\n", what);
  return false;
}

const std::vector<scenario::Backend> kRealOrder = {scenario::Backend::HostGw, scenario::Backend::Vxlan, scenario::Backend::Udp};

}  // namespace

int cmd_validate(const ValidateCliOptions& o) {
  if (!is_root("validate")) return 2;
  if (o.cleanup) {
    std::cout << fmt::format("removed {} leftover namespaces\n", validate::RealBuilder::cleanup_leftovers());
    return 0;
  }
  if (o.file.empty()) {
    std::cerr << "validate: name a scenario, or give --cleanup\n";
    return 2;
  }
  const auto s = load_scenario(o.file);
  const auto modes = parse_modes(o.mode, kRealOrder);
  if (!s || !modes) return 2;
  validate::install_signal_handlers();
  if (o.cni) return validate::cni_cross_check(*s, std::cout);
  int worst = 0;
  for (auto m : *modes) {
    const int rc = validate::validate_mode(*s, m, std::cout, {.keep = o.keep, .perturb_node = o.perturb, .pcap_dir = o.pcap_dir, .sample = o.sample});
    if (rc == 130) return 130;
    if (rc == 1) worst = 1;
  }
  return worst;
}

int cmd_calibrate(const CalibrateCliOptions& o) {
  if (!is_root("calibrate")) return 2;
  const auto s = load_scenario(o.file);
  const auto modes = parse_modes(o.mode, kRealOrder);
  if (!s || !modes) return 2;
  validate::install_signal_handlers();
  validate::CalibrateOptions co{*modes, o.out.value_or("results/calibration/" + s->name), o.seconds, o.iterations};
  try {
    return validate::calibrate(*s, co, std::cout);
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

}  // namespace ol::cli
