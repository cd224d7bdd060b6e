#include "models/cni/invoke.h"

#include <algorithm>

#include <fmt/format.h>

#include "models/cni/bridge.h"
#include "models/cni/dhcp.h"
#include "models/cni/flannel_plugin.h"
#include "models/cni/host_local.h"
#include "models/cni/loopback.h"
#include "models/cni/portmap.h"
#include "models/cni/ptp.h"
#include "models/netconfig/render.h"

namespace ol::cni {

using nlohmann::json;

namespace {

using PluginMain = Result (*)(const std::string& command, const json& conf, const Runtime& rt, PluginHost& h);

struct Binary {
  const char* type;
  PluginMain main;
};

constexpr Binary kBinaries[] = {
    {"bridge", bridge_main},     {"dhcp", dhcp_main}, {"flannel", flannel_main}, {"host-local", host_local_main},
    {"loopback", loopback_main}, {"portmap", portmap_main}, {"ptp", ptp_main},
};

// skel's checks before a plugin's own code runs.
void skel_checks(const std::string& command, const json& conf) {
  if (!conf.is_object()) throw CniError(6, "error unmarshall network config: not a JSON object");
  const std::string v = conf.value("cniVersion", "");
  if (!supported_version(v))
    throw CniError(1, "incompatible CNI versions",
                   fmt::format("config is \"{}\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\"]", v));
  if (!conf.contains("name") || !conf["name"].is_string()) throw CniError(7, "missing network name");
  if (command == "CHECK" && !version_at_least(v, "0.4.0")) throw CniError(1, "config version does not allow CHECK");
}

}  // namespace

const std::vector<std::string>& installed_plugins() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& b : kBinaries) v.push_back(b.type);
    return v;
  }();
  return names;
}

std::vector<std::pair<std::string, std::string>> plugin_env(const std::string& command, const Runtime& rt,
                                                            const std::string& cni_path) {
  std::string args;
  for (const auto& [k, v] : rt.args) args += (args.empty() ? "" : ";") + k + "=" + v;
  return {{"CNI_COMMAND", command}, {"CNI_CONTAINERID", rt.container_id}, {"CNI_NETNS", rt.netns_path()},
          {"CNI_ARGS", args},       {"CNI_IFNAME", rt.ifname},           {"CNI_PATH", cni_path}};
}

Result exec_plugin(const std::string& type, const std::string& command, const json& conf, const Runtime& rt,
                   PluginHost& h) {
  const auto* bin = std::find_if(std::begin(kBinaries), std::end(kBinaries), [&](const Binary& b) { return type == b.type; });
  if (bin == std::end(kBinaries))  // invoke.FindInPath: no process runs, so nothing is recorded
    throw PluginNotFound(999, fmt::format("failed to find plugin \"{}\" in path [{}]", type, h.cni_path));
  std::size_t at = 0;
  if (h.log) {
    at = h.log->size();
    h.log->push_back({h.depth, type, command, plugin_env(command, rt, h.cni_path), conf, nullptr, 0,
                      h.out.commands.size(), h.out.commands.size()});
  }
  auto finish = [&](json printed, int code) {
    if (!h.log) return;
    Invocation& inv = (*h.log)[at];
    inv.stdout_json = std::move(printed);
    inv.exit_code = code;
    inv.end_command = h.out.commands.size();
    for (std::size_t i = inv.first_command; i < inv.end_command; ++i) inv.commands.push_back(netconfig::render(h.out.commands[i].op));
  };
  ++h.depth;
  try {
    skel_checks(command, conf);
    Result r = bin->main(command, conf, rt, h);
    --h.depth;
    if (h.log) finish(command == "ADD" ? result_json(r, conf["cniVersion"].get<std::string>()) : json(nullptr), 0);
    return r;
  } catch (const CniError& e) {
    --h.depth;
    finish(error_json(e), 1);
    throw;
  } catch (const json::exception& e) {  // a field of the wrong JSON type: the plugin's json.Unmarshal fails
    --h.depth;
    CniError err(6, fmt::format("failed to load netconf: {}", e.what()));
    finish(error_json(err), 1);
    throw err;
  }
}

}  // namespace ol::cni
