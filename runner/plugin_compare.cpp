#include "runner/plugin_compare.h"

#include <stdexcept>

#include <fmt/format.h>

#include "lab/session.h"
#include "models/cni/conf.h"
#include "models/scenario/load.h"

namespace ol::runner {

using nlohmann::json;

namespace {

// The conf dir's flannel conflist (libcni's choice) with its delegate set to `plugin`.
void set_delegate(std::map<std::string, std::string>& dir, const std::string& plugin, const std::string& where) {
  const cni::ConfDirChoice c = cni::choose_conf(dir);
  if (!c.chosen || c.chosen->plugins.front().value("type", "") != "flannel")
    throw std::invalid_argument(fmt::format("{}: comparing bridge and ptp needs a conflist whose first plugin is flannel",
                                            where));
  const std::string file = c.chosen->file.substr(std::string(cni::kConfDir).size() + 1);
  json list = json::parse(dir[file]);
  json& d = list["plugins"][0]["delegate"];
  if (d.is_null()) d = json::object();
  d["type"] = plugin;
  if (plugin == "ptp")
    for (const char* k : {"bridge", "isGateway", "isDefaultGateway", "hairpinMode", "forceAddress"}) d.erase(k);
  dir[file] = list.dump(2);
}

std::vector<std::string> main_plugin_commands(const scenario::Scenario& s, const std::string& pod) {
  cluster::Session session(s, [&](cluster::Cluster& c) { c.record_cni(pod); });
  session.cluster.converge();
  std::vector<std::string> out;
  if (const auto* calls = session.cluster.cni_calls(pod))
    for (const auto& c : *calls)
      if (c.command == "ADD" && (c.plugin == "bridge" || c.plugin == "ptp")) out = c.commands;
  return out;
}

}  // namespace

scenario::Scenario with_delegate(const scenario::Scenario& s, const std::string& plugin) {
  scenario::Scenario v = s;
  set_delegate(v.cni.conf_dir, plugin, s.file);
  for (auto& n : v.nodes)
    if (n.cni_conf_dir) set_delegate(*n.cni_conf_dir, plugin, fmt::format("{}: node {}", s.file, n.name));
  return v;
}

std::array<std::string, 3> way_out_cells(const TraceEvent& e, const std::string& node) {
  return {e.function, (e.netns == node ? "" : e.netns + " ") + e.device,
          e.entry.empty() ? e.verdict : "[" + e.table + "] " + e.entry};
}

std::vector<std::array<int, 2>> align_pair(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> l(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;) l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
  std::vector<std::array<int, 2>> rows;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) rows.push_back({int(i++), int(j++)});
    else if (j < m && (i == n || l[i][j + 1] >= l[i + 1][j])) rows.push_back({-1, int(j++)});
    else rows.push_back({int(i++), -1});
  }
  return rows;
}

PluginComparison compare_main_plugins(const scenario::Scenario& s, scenario::Backend mode, const std::string& from,
                                      const std::string& to) {
  PluginComparison c{from, to, {}, {}, {}};
  const scenario::Node* home = s.node_of_pod(from);
  if (!home) throw std::invalid_argument(fmt::format("no pod named \"{}\" in {}", from, s.file));
  c.node = home->name;
  const std::array<const char*, 2> plugins = {"bridge", "ptp"};
  std::array<std::vector<std::string>, 2> names;
  for (std::size_t k = 0; k < 2; ++k) {
    scenario::Scenario v = with_delegate(s, plugins[k]);
    scenario::override_backend(v, mode);
    PluginSide& side = c.sides[k];
    side.plugin = plugins[k];
    side.created = main_plugin_commands(v, from);
    side.walk = record_walk(v, mode, from, to);
    // The request on the sending node: from the pod's first step to the last before another node.
    for (std::size_t i = 0; i < side.walk.request_steps && i < side.walk.steps.size(); ++i) {
      const TraceEvent& e = side.walk.steps[i].event;
      if (e.node != c.node) break;
      side.way_out.push_back(i);
      names[k].push_back(e.function + " " + (e.netns == from ? "(pod)" : "(node)"));
    }
  }
  c.rows = align_pair(names[0], names[1]);
  return c;
}

}  // namespace ol::runner
