#include "models/cni/flannel_plugin.h"

#include <map>
#include <sstream>

#include <fmt/format.h>

namespace ol::cni {

using nlohmann::json;

namespace {

std::string saved_path(const std::string& container_id) { return "/var/lib/cni/flannel/" + container_id; }

}  // namespace

SubnetEnv parse_subnet_env(const netconfig::Files& files) {
  const std::string* text = files.read(kSubnetEnvPath);
  if (!text)
    throw CniError(999, fmt::format("failed to load flannel 'subnet.env' file: open {}: no such file or directory. "
                                    "Check the flannel pod log for this node.",
                                    kSubnetEnvPath));
  std::map<std::string, std::string> kv;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);)
    if (auto eq = line.find('='); eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  auto need = [&](const char* key) -> const std::string& {
    auto it = kv.find(key);
    if (it == kv.end()) throw CniError(999, fmt::format("{} is missing {}", kSubnetEnvPath, key));
    return it->second;
  };
  SubnetEnv env;
  auto net = wire::Ipv4Prefix::parse(need("FLANNEL_NETWORK"));
  auto sub = wire::Ipv4Prefix::parse(need("FLANNEL_SUBNET"));
  if (!net || !sub) throw CniError(999, fmt::format("{}: FLANNEL_NETWORK or FLANNEL_SUBNET is not a prefix", kSubnetEnvPath));
  env.network = *net;
  env.subnet = *sub;
  env.mtu = std::stoi(need("FLANNEL_MTU"));
  env.ipmasq = need("FLANNEL_IPMASQ") == "true";
  return env;
}

BridgeConf flannel_delegate(const CniConf& conf, const SubnetEnv& env) {
  BridgeConf c;
  c.name = conf.network;
  c.cni_version = conf.cni_version;
  c.bridge = conf.bridge;
  c.mtu = conf.mtu.value_or(env.mtu);
  c.is_gateway = conf.is_gateway;
  c.is_default_gateway = conf.is_default_gateway;
  c.hairpin = conf.hairpin;
  c.ip_masq = !env.ipmasq;  // flanneld masquerades itself when FLANNEL_IPMASQ=true
  c.ipam.subnet = {env.subnet.network(), env.subnet.len};
  c.ipam.routes.push_back({env.network, std::nullopt});
  return c;
}

json delegate_json(const BridgeConf& c) {
  json j = {{"cniVersion", c.cni_version}, {"name", c.name},       {"type", "bridge"},
            {"mtu", c.mtu},                {"ipMasq", c.ip_masq},  {"isGateway", c.is_gateway},
            {"hairpinMode", c.hairpin}};
  if (c.is_default_gateway) j["isDefaultGateway"] = true;
  if (c.bridge != "cni0") j["bridge"] = c.bridge;
  json routes = json::array();
  for (const auto& r : c.ipam.routes) routes.push_back({{"dst", r.dst.str()}});
  j["ipam"] = {{"type", "host-local"}, {"ranges", {{{{"subnet", c.ipam.subnet.str()}}}}}, {"routes", routes}};
  return j;
}

BridgeResult flannel_add(const CniConf& conf, const CniArgs& a, netconfig::Files& files, const HostView& host,
                         HostLocal& ipam, const Naming& names, netconfig::NetConfig& out) {
  const BridgeConf c = flannel_delegate(conf, parse_subnet_env(files));
  files.write(saved_path(a.container_id), delegate_json(c).dump());
  return bridge_add(c, a, host, ipam, names, out);
}

void flannel_del(const CniConf& conf, const CniArgs& a, netconfig::Files& files, const HostView& host, HostLocal& ipam,
                 netconfig::NetConfig& out) {
  // doCmdDel: DEL delegates the config saved at ADD (the lease may have changed since). Without
  // that file it returns success and does nothing ("Per spec should ignore error if resources are
  // missing"): no delegate runs, so host-local keeps the address until its own clean-up.
  const std::string path = saved_path(a.container_id);
  const std::string* saved = files.read(path);
  if (!saved) return;
  const json j = json::parse(*saved);
  const BridgeConf c =
      flannel_delegate(conf, SubnetEnv{*wire::Ipv4Prefix::parse(j["ipam"]["routes"][0]["dst"].get<std::string>()),
                                       *wire::Ipv4Prefix::parse(j["ipam"]["ranges"][0][0]["subnet"].get<std::string>()),
                                       j["mtu"].get<int>(), !j["ipMasq"].get<bool>()});
  bridge_del(c, a, host, ipam, out);
  files.remove(path);
}

}  // namespace ol::cni
