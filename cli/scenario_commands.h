// The subcommands that take a scenario (scenarios/*.json): config, tables, walk.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/spec.h"

namespace ol::cli {

struct ScenarioOptions {
  std::string file;
  std::optional<std::string> mode;  // host-gw | underlay | udp | vxlan
  std::optional<std::string> node;  // only this node's namespaces
};

int cmd_config(const ScenarioOptions& o, const std::optional<std::string>& state_dir);
// A pod's creation (`pod`) or a node's join (`join`), command by command with the rows each changed.
// Every CNI plugin invocation for one pod, in order (cli/cni_command.cpp).
// With `compare`: bridge and ptp side by side for the pod (and an echo to `to`).
int cmd_cni(const ScenarioOptions& o, const std::string& pod, bool compare = false,
            const std::optional<std::string>& to = std::nullopt);
// The scenario with --mode applied, or nothing (printed why).
std::optional<scenario::Scenario> load_for_command(const ScenarioOptions& o);
int cmd_control(const ScenarioOptions& o, const std::optional<std::string>& pod, const std::optional<std::string>& join);
int cmd_scenario_format();
int cmd_scenario_tables(const ScenarioOptions& o);

struct WalkCliOptions {
  ScenarioOptions scenario;
  std::string from, to;
  std::optional<std::string> at;  // a duration: "1.5s"
  int size = 56;
  std::vector<std::string> edits;  // what-if commands applied before the send
  bool frames = false;             // print each header's fields where the stack changes
  std::optional<std::string> html;  // also write the walk as one HTML page here
};
int cmd_walk(const WalkCliOptions& o);

}  // namespace ol::cli
