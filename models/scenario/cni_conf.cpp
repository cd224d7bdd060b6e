#include "models/scenario/cni_conf.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "models/cni/conf.h"

namespace ol::scenario {

using nlohmann::json;

namespace {

constexpr const char* kFlannelFile = "10-flannel.conflist";
constexpr const char* kDefaultConflist = R"({"name":"cbr0","cniVersion":"0.3.1","plugins":[
  {"type":"flannel","delegate":{"hairpinMode":true,"isDefaultGateway":true}},
  {"type":"portmap","capabilities":{"portMappings":true}}]})";

// The schema's documented default: a configuration written without "cniVersion" is 0.3.1.
json with_version(json j) {
  if (j.is_object() && !j.contains("cniVersion")) j["cniVersion"] = "0.3.1";
  return j;
}

std::map<std::string, std::string> files_of(const json& dir) {
  std::map<std::string, std::string> files;
  for (const auto& [name, v] : dir.items()) files[name] = v.is_string() ? v.get<std::string>() : with_version(v).dump(2);
  return files;
}

// kube-flannel's fields, read from its conflist when the first plugin is flannel.
void derive(CniConf& c) {
  const json& j = c.verbatim;
  c.network = j.value("name", "cbr0");
  c.cni_version = j.value("cniVersion", "0.3.1");
  const json& plugins = j["plugins"];
  c.portmap = std::any_of(plugins.begin(), plugins.end(), [](const json& p) { return p.value("type", "") == "portmap"; });
  if (plugins.empty() || plugins[0].value("type", "") != "flannel") return;
  const json d = plugins[0].value("delegate", json::object());
  c.bridge = d.value("bridge", "cni0");
  c.hairpin = d.value("hairpinMode", false);
  if (d.contains("mtu")) c.mtu = d["mtu"].get<int>();
  c.is_default_gateway = d.value("isDefaultGateway", false);
  c.is_gateway = d.value("isGateway", true) || c.is_default_gateway;
}

const char* kModelled = "flannel, bridge, ptp (main plugins) and portmap (chained)";

struct Where {  // one node's conf dir: its JSON path and the path of each file in it
  std::string dir_path;
  bool flannel_from_cni_conf = false;
  std::string file_path(const std::string& file) const {
    if (flannel_from_cni_conf && file == kFlannelFile) return "$[\"cni-conf.json\"]";
    return path_key(dir_path, file);
  }
};

class Checker {
 public:
  Checker(const Scenario& s, std::vector<Problem>& out) : s_(s), out_(out) {}

  // The configuration libcni chooses on `node`; its problems added. Returns the range the chain's
  // own IPAM hands out when it is a standalone bridge or ptp (flannel's comes from the lease).
  std::optional<wire::Ipv4Prefix> node(const Node& n, const std::map<std::string, std::string>& files, const Where& w) {
    const cni::ConfDirChoice c = cni::choose_conf(files);
    if (!c.chosen) {
      std::string why;
      for (const auto& s : c.skipped) why += "; " + s;
      add(w.dir_path, fmt::format("node {}: no network config found in {}{}", n.name, cni::kConfDir, why),
          "add a .conflist (kube-flannel's 10-flannel.conflist is \"cni-conf.json\"), whose first plugin is "
          "flannel, bridge or ptp; libcni reads .conf, .conflist and .json files only");
      return std::nullopt;
    }
    const std::string file = c.chosen->file.substr(std::string(cni::kConfDir).size() + 1);
    const std::string at = w.file_path(file);
    if (!checked_.insert(at).second) return standalone_range(*c.chosen, at, n);
    if (!cni::supported_version(c.chosen->cni_version))
      add(path_key(at, "cniVersion"), fmt::format("cniVersion \"{}\" is not one overlaylab models", c.chosen->cni_version),
          "write \"0.3.1\" (kube-flannel's), \"0.4.0\" or \"1.0.0\"");
    for (std::size_t i = 0; i < c.chosen->plugins.size(); ++i) plugin(c.chosen->plugins[i], i, path_index(path_key(at, "plugins"), i));
    return standalone_range(*c.chosen, at, n);
  }

 private:
  void plugin(const json& p, std::size_t i, const std::string& at) {
    const std::string type = p["type"].get<std::string>();
    const bool main = type == "flannel" || type == "bridge" || type == "ptp";
    if (!main && type != "portmap") {
      add(path_key(at, "type"), fmt::format("no plugin \"{}\" that a pod's chain can run", type),
          fmt::format("overlaylab models {}; IPAM plugins (host-local) go in a main plugin's \"ipam\"", kModelled));
      return;
    }
    if (i == 0 && !main)
      add(path_key(at, "type"), "portmap \"must be called as chained plugin\": it needs the main plugin's result",
          "put flannel, bridge or ptp first and portmap after it");
    if (i > 0 && main)
      add(path_key(at, "type"), fmt::format("{} after the first plugin would make a second interface for the pod", type),
          "keep one main plugin, first in the list");
    if (type == "flannel") flannel(p, at);
    if (type == "bridge" || type == "ptp") ipam(p, at, type, true);
    if (p.contains("mtu") && type != "flannel" && (p["mtu"].get<int>() < 68)) add(path_key(at, "mtu"), "an MTU below 68", "write 1450 or so");
  }

  void flannel(const json& p, const std::string& at) {
    const json d = p.value("delegate", json::object());
    const std::string dp = path_key(at, "delegate");
    const std::string type = d.value("type", "bridge");
    if (type != "bridge" && type != "ptp")
      add(path_key(dp, "type"),
          fmt::format("flannel's delegate \"{}\" is not a main plugin overlaylab models: its ADD fails with "
                      "\"failed to delegate add: failed to find plugin \\\"{}\\\" in path [/opt/cni/bin]\"",
                      type, type),
          "write \"bridge\" (kube-flannel's default) or \"ptp\"");
    if (type == "ptp")
      for (const char* key : {"bridge", "isGateway", "isDefaultGateway", "hairpinMode", "forceAddress"})
        if (d.contains(key))
          add(path_key(dp, key), fmt::format("\"{}\" is a bridge plugin key; ptp ignores it", key),
              "remove it: ptp has no bridge, its gateway is on every host veth and its routes come from IPAM");
    if (p.contains("ipam")) ipam(p, at, "flannel", false);
  }

  void ipam(const json& p, const std::string& at, const std::string& owner, bool needs_ranges) {
    if (!p.contains("ipam")) {
      add(at, fmt::format("{} without an \"ipam\" section: the pod would get no address", owner),
          "add \"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"<this node's pod_cidr>\"}]]}");
      return;
    }
    const json& ip = p["ipam"];
    const std::string t = ip.value("type", "");
    const std::string tp = path_key(path_key(at, "ipam"), "type");
    if (t == "dhcp") return dhcp_owner(owner, tp);
    if (t != "host-local") {
      add(tp, fmt::format("no IPAM plugin \"{}\" that overlaylab models", t), "write \"host-local\" or \"dhcp\"");
      return;
    }
    if (!needs_ranges) return;
    try {
      cni::host_local_conf(ip);
    } catch (const cni::CniError& e) {
      add(path_key(at, "ipam"), fmt::format("host-local would refuse it: {}", e.what()),
          "give \"ranges\": [[{\"subnet\": \"10.244.1.0/24\"}]] with this node's pod_cidr");
    }
  }

  // dhcp works under bridge only: ptp runs IPAM before it makes the veth, so the daemon's client
  // finds no interface; flannel's delegate gets host-local from subnet.env.
  void dhcp_owner(const std::string& owner, const std::string& at) {
    if (owner == "ptp")
      add(at, "ptp with dhcp IPAM: ptp asks IPAM for an address before it creates the veth, so the dhcp daemon's "
              "client fails with \"error looking up \\\"eth0\\\": Link not found\"",
          "use the bridge plugin with dhcp, or host-local with ptp");
    else if (owner == "flannel")
      add(at, "dhcp IPAM under the flannel plugin: flannel's pods take their addresses from its lease (subnet.env)",
          "use a standalone bridge conflist with dhcp in the node's cni_conf_dir, or host-local under flannel");
  }

  std::optional<wire::Ipv4Prefix> standalone_range(const cni::ConfList& l, const std::string& at, const Node& n) {
    const json& first = l.plugins.front();
    const std::string type = first.value("type", "");
    if (type != "bridge" && type != "ptp") return std::nullopt;
    if (first.contains("ipam") && first["ipam"].value("type", "") == "dhcp") return std::nullopt;  // the server's range: check_dhcp
    cni::HostLocalConf hc;
    try {
      hc = cni::host_local_conf(first.value("ipam", json::object()));
    } catch (const cni::CniError&) {
      return std::nullopt;  // reported above
    }
    const std::string rp = path_key(path_key(path_index(path_key(at, "plugins"), 0), "ipam"), "ranges");
    if (!n.pod_cidr)
      add(fmt::format("$.nodes[{}]", index_of(n)),
          fmt::format("node {} runs {} with its own range {}, but its flannel lease is not pinned: flanneld would "
                      "route another subnet to it",
                      n.name, type, hc.subnet.str()),
          fmt::format("add \"pod_cidr\": \"{}\" to node {}", hc.subnet.str(), n.name));
    else if (!(n.pod_cidr->contains(hc.subnet.addr) && hc.subnet.len >= n.pod_cidr->len))
      add(rp, fmt::format("node {}'s range {} is outside its lease {}: packets for those pods would be routed to another node",
                          n.name, hc.subnet.str(), n.pod_cidr->str()),
          fmt::format("use a subnet inside {}", n.pod_cidr->str()));
    return hc.subnet;
  }

  std::size_t index_of(const Node& n) const { return std::size_t(&n - s_.nodes.data()); }
  void add(std::string path, std::string message, std::string fix) {
    out_.push_back({std::move(path), std::move(message), std::move(fix)});
  }

  const Scenario& s_;
  std::vector<Problem>& out_;
  std::set<std::string> checked_;
};

}  // namespace

void read_cni(const json& doc, Scenario& s, std::vector<Problem>&) {
  CniConf& c = s.cni;
  c.verbatim = with_version(doc.contains("cni-conf.json") ? doc["cni-conf.json"] : json::parse(kDefaultConflist));
  if (doc.contains("cni-conf.json") || !doc.contains("cni_conf_dir")) c.conf_dir[kFlannelFile] = c.verbatim.dump(2);
  if (doc.contains("cni_conf_dir"))
    for (auto& [name, text] : files_of(doc["cni_conf_dir"])) c.conf_dir[name] = text;
  derive(c);
}

void read_node_cni(const json& node, const std::string&, Node& n) {
  if (node.contains("cni_conf_dir")) n.cni_conf_dir = files_of(node["cni_conf_dir"]);
}

void check_cni(const json& doc, const Scenario& s, std::vector<Problem>& out) {
  Checker check(s, out);
  std::vector<std::pair<wire::Ipv4Prefix, std::string>> seen;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const Node& n = s.nodes[i];
    Where w;
    if (n.cni_conf_dir) {
      w.dir_path = path_key(path_index("$.nodes", i), "cni_conf_dir");
    } else {
      w.dir_path = doc.contains("cni_conf_dir") ? "$.cni_conf_dir" : "$[\"cni-conf.json\"]";
      w.flannel_from_cni_conf = doc.contains("cni-conf.json") || !doc.contains("cni_conf_dir");
    }
    std::optional<wire::Ipv4Prefix> range;
    try {  // a file given as raw text was never checked against the schema: any key may have any type
      range = check.node(n, n.cni_conf_dir ? *n.cni_conf_dir : s.cni.conf_dir, w);
    } catch (const json::exception& e) {
      out.push_back({w.dir_path, fmt::format("node {}: a value of the wrong type in its CNI configuration: {}", n.name, e.what()),
                     "write the configuration as a JSON object in the scenario, so that the schema checks each key"});
    }
    if (!range) continue;
    for (const auto& [other, who] : seen)
      if (other.contains(range->addr) || range->contains(other.addr))
        out.push_back({w.dir_path,
                       fmt::format("node {}'s range {} overlaps node {}'s range {}: two pods would get one address",
                                   n.name, range->str(), who, other.str()),
                       "give each node its own range (nodes[i].cni_conf_dir), inside its own pod_cidr"});
    seen.emplace_back(*range, n.name);
  }
}

}  // namespace ol::scenario
