#include "cli/scenario_args.h"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "models/scenario/load.h"

namespace ol::cli {

std::optional<scenario::Scenario> load_scenario(const std::string& file) {
  try {
    return scenario::load_file(file);
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return std::nullopt;
  }
}

bool load_profile(const std::optional<std::string>& file, std::optional<cost::Profile>& out) {
  try {
    if (file) out = cost::Profile::load_file(*file);
    return true;
  } catch (const cost::ProfileError& e) {
    std::cerr << e.what() << "\n";
    return false;
  }
}

std::optional<std::vector<scenario::Backend>> parse_modes(const std::string& mode, const std::vector<scenario::Backend>& order) {
  if (mode == "all") return order;
  if (auto b = scenario::parse_backend(mode)) return std::vector{*b};
  std::cerr << fmt::format("--mode: \"{}\" is not a mode\n    fix: use host-gw (or underlay), udp, vxlan or all\n", mode);
  return std::nullopt;
}

std::string default_out_dir(const std::string& name) { return "overlaylab-out/" + name; }

void report_pcaps(const std::string& dir, const std::vector<scenario::Backend>& modes) {
  namespace fs = std::filesystem;
  for (auto m : modes) {
    const fs::path d = fs::path(dir) / scenario::backend_name(m);
    std::error_code ec;
    std::uintmax_t bytes = 0;
    int files = 0;
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.is_regular_file() && e.path().extension() == ".pcap") ++files, bytes += e.file_size();
    std::cerr << fmt::format("wrote {} pcap files ({:.1f} MB) in {}/\n", files, double(bytes) / 1e6, d.string());
  }
}

}  // namespace ol::cli
