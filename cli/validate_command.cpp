#include "cli/validate_command.h"

#include <iostream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include "cli/scenario_args.h"
#include "validate/calibrate.h"
#include "validate/calibrate_steps.h"
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
  for (const auto& [flag, node] : {std::pair{"--perturb", o.perturb}, std::pair{"--crash-flanneld", o.crash}}) {
    if (node.empty() || s->node(node)) continue;
    std::string nodes;
    for (const auto& n : s->nodes) nodes += (nodes.empty() ? "" : ", ") + n.name;
    std::cerr << fmt::format("{}: {} has no node \"{}\"\n    fix: name one of its nodes: {}\n", flag, o.file, node, nodes);
    return 2;
  }
  validate::install_signal_handlers();
  if (o.cni) return validate::cni_cross_check(*s, std::cout);
  int worst = 0;
  std::vector<std::string> agree, differ, unchecked;
  for (auto m : *modes) {
    const int rc = validate::validate_mode(*s, m, std::cout, {.keep = o.keep, .perturb_node = o.perturb, .pcap_dir = o.pcap_dir, .sample = o.sample,
                                                               .crash_node = o.crash});
    if (rc == 130) return 130;
    if (rc == 1) worst = 1;
    (rc == 0 ? agree : rc == 1 ? differ : unchecked).push_back(scenario::backend_name(m));
  }
  // One line to end on: what a reader of a long report wants first.
  auto list = [](const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, ", ")); };
  std::string summary = "summary: ";
  if (differ.empty() && unchecked.empty()) summary += fmt::format("the kernel agreed with the simulator in {} ({})", agree.size() == 1 ? "the one mode" : agree.size() == 3 ? "all three modes" : "both modes", list(agree));
  else {
    if (!agree.empty()) summary += "agreed in " + list(agree) + "; ";
    if (!differ.empty()) summary += "DIFFERENCES in " + list(differ) + " (above); ";
    if (!unchecked.empty()) summary += "could not check " + list(unchecked) + " (said why above); ";
    summary.resize(summary.size() - 2);
  }
  std::cout << summary << "\n";
  return worst;
}

int cmd_calibrate(const CalibrateCliOptions& o) {
  if (o.steps && !o.file.empty()) {
    std::cerr << fmt::format("calibrate: --steps measures isolated experiments, not a scenario ({})\n    fix: drop {} or --steps\n", o.file, o.file);
    return 2;
  }
  if (!o.steps && o.file.empty()) {
    std::cerr << "calibrate: no scenario given\n    fix: overlaylab calibrate SCENARIO, or overlaylab calibrate --steps\n";
    return 2;
  }
  if (!is_root("calibrate")) return 2;
  if (o.steps) {
    validate::install_signal_handlers();
    validate::StepCalibrateOptions so{o.out.value_or(default_out_dir("calibration/steps")), double(o.seconds.value_or(1)), o.repeat.value_or(3), o.argv};
    return validate::calibrate_steps(so, std::cout);
  }
  const auto s = load_scenario(o.file);
  const auto modes = parse_modes(o.mode, kRealOrder);
  if (!s || !modes) return 2;
  validate::install_signal_handlers();
  validate::CalibrateOptions co{*modes, o.out.value_or(default_out_dir("calibration/" + s->name)), o.seconds.value_or(2), o.iterations};
  co.repeat = o.repeat.value_or(1);
  std::optional<cost::Profile> base;
  if (!load_profile(o.profile, base)) return 2;
  if (base) co.base = &*base;
  try {
    return validate::calibrate(*s, co, std::cout);
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

}  // namespace ol::cli
