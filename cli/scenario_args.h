// What several subcommands take first: a scenario file and --mode. Errors are printed the same way
// by all of them (the loader's file/JSON-path/fix message; the modes there are).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "models/cost/profile.h"
#include "models/scenario/spec.h"

namespace ol::cli {

// The loaded scenario, or nothing (the loader's message printed on stderr).
std::optional<scenario::Scenario> load_scenario(const std::string& file);
// --profile FILE: false (the loader's message printed on stderr) when FILE is no profile; without
// a file, true and `out` left empty (the built-in profile).
bool load_profile(const std::optional<std::string>& file, std::optional<cost::Profile>& out);
// "all" or one mode's name; nothing (printed why) for anything else. `all` lists them in `order`.
std::optional<std::vector<scenario::Backend>> parse_modes(const std::string& mode, const std::vector<scenario::Backend>& order = {
    scenario::Backend::HostGw, scenario::Backend::Udp, scenario::Backend::Vxlan});

// Where run, compare, sweep and calibrate write without --out: a scratch folder of the working
// directory (overlaylab-out/<name>/), never the reference results a checkout holds in results/.
std::string default_out_dir(const std::string& name);
// Names the pcap files a run wrote under dir/<mode>/, with their total size, on stderr.
void report_pcaps(const std::string& dir, const std::vector<scenario::Backend>& modes);

}  // namespace ol::cli
