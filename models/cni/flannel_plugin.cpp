#include "models/cni/flannel_plugin.h"

#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace ol::cni {

using nlohmann::json;

SubnetEnv parse_subnet_env(const netconfig::Files& files, const std::string& path) {
  const std::string* text = files.read(path);
  if (!text)
    throw CniError(999, fmt::format("failed to load flannel 'subnet.env' file: open {}: no such file or directory. "
                                    "Check the flannel pod log for this node.",
                                    path));
  // The four keys the plugin reads (loadFlannelSubnetEnv), each its last "KEY=value" line. This
  // runs for every pod of a 150,000-pod cluster: no stream or map.
  constexpr std::array<std::string_view, 4> kKeys = {"FLANNEL_NETWORK", "FLANNEL_SUBNET", "FLANNEL_MTU", "FLANNEL_IPMASQ"};
  std::array<std::optional<std::string_view>, 4> kv;
  for (std::string_view rest = *text; !rest.empty();) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    for (std::size_t k = 0; k < kKeys.size(); ++k)
      if (line.substr(0, eq) == kKeys[k]) kv[k] = line.substr(eq + 1);
  }
  std::string missing;
  for (std::size_t k = 0; k < kKeys.size(); ++k)
    if (!kv[k]) missing += (missing.empty() ? "" : ", ") + std::string(kKeys[k]);
  if (!missing.empty())
    throw CniError(999, fmt::format("failed to load flannel 'subnet.env' file: {} is missing {}. "
                                    "Check the flannel pod log for this node.",
                                    path, missing));
  SubnetEnv env;
  auto net = wire::Ipv4Prefix::parse(*kv[0]);
  auto sub = wire::Ipv4Prefix::parse(*kv[1]);
  if (!net || !sub) throw CniError(999, fmt::format("{}: FLANNEL_NETWORK or FLANNEL_SUBNET is not a prefix", path));
  env.network = {net->network(), net->len};
  env.subnet = *sub;
  env.mtu = std::stoi(std::string(*kv[2]));
  env.ipmasq = *kv[3] == "true";
  return env;
}

json flannel_delegate_conf(const json& n, const SubnetEnv& env) {
  json d = n.value("delegate", json::object());
  d["name"] = n["name"];
  if (!d.contains("type")) d["type"] = "bridge";
  if (!d.contains("ipMasq")) d["ipMasq"] = !env.ipmasq;  // "if flannel is not doing ipmasq, we should"
  if (!d.contains("mtu")) d["mtu"] = env.mtu;
  if (d["type"] == "bridge" && !d.contains("isGateway")) d["isGateway"] = true;
  if (n.contains("cniVersion")) d["cniVersion"] = n["cniVersion"];
  if (n.contains("runtimeConfig")) d["runtimeConfig"] = n["runtimeConfig"];
  // getDelegateIPAM: the plugin's own "ipam" (host-local unless it names a type), its ranges
  // replaced by the lease, FLANNEL_NETWORK appended to its routes.
  json ipam = n.value("ipam", json::object());
  if (!ipam.contains("type")) ipam["type"] = "host-local";
  const wire::Ipv4Prefix lease{env.subnet.network(), env.subnet.len};
  ipam["ranges"] = json::array({json::array({{{"subnet", lease.str()}}})});
  json routes = ipam.value("routes", json::array());
  routes.push_back({{"dst", env.network.str()}});
  ipam["routes"] = routes;
  d["ipam"] = ipam;
  return d;
}

namespace {

std::string saved_path(const json& n, const std::string& container_id) {
  return n.value("dataDir", std::string(kFlannelDataDir)) + "/" + container_id;
}

void check_delegate(const json& n) {
  if (!n.contains("delegate")) return;
  const json& d = n["delegate"];
  if (d.contains("type") && !d["type"].is_string())
    throw CniError(999, "'delegate' dictionary, if present, must have (string) 'type' field");
  if (d.contains("name")) throw CniError(999, "'delegate' dictionary must not have 'name' field, it'll be set by flannel");
  if (d.contains("ipam")) throw CniError(999, "'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
}

Result flannel_add(const json& n, const Runtime& rt, PluginHost& h) {
  const SubnetEnv env = parse_subnet_env(h.files, n.value("subnetFile", std::string(kSubnetEnvPath)));
  check_delegate(n);
  const json d = flannel_delegate_conf(n, env);
  h.files.write(saved_path(n, rt.container_id), d.dump());  // saveScratchNetConf
  try {
    return exec_plugin(d["type"].get<std::string>(), "ADD", d, rt, h);
  } catch (const PluginNotFound& e) {  // not an error object: skel reports it as code 999
    throw CniError(999, fmt::format("failed to delegate add: {}", e.what()));
  }
}

// doCmdDel: the delegate runs with the configuration saved at ADD. Without that file DEL succeeds
// and does nothing ("Per spec should ignore error if resources are missing"), so no delegate
// runs and host-local keeps the address; the file goes only when the delegate succeeded.
void flannel_del(const json& n, const Runtime& rt, PluginHost& h) {
  const std::string path = saved_path(n, rt.container_id);
  const std::string* saved = h.files.read(path);
  if (!saved) return;
  const json d = json::parse(*saved, nullptr, false);
  if (d.is_discarded() || !d.contains("type")) return;  // "failed to parse netconf": left for a reboot
  exec_plugin(d["type"].get<std::string>(), "DEL", d, rt, h);
  h.files.remove(path);
}

}  // namespace

Result flannel_main(const std::string& command, const json& conf, const Runtime& rt, PluginHost& h) {
  if (command == "ADD") return flannel_add(conf, rt, h);
  if (command == "DEL") flannel_del(conf, rt, h);
  return {};  // cmdCheck: "TODO: implement"; the delegate is not checked
}

}  // namespace ol::cni
