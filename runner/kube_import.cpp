#include "runner/kube_import.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "models/scenario/problem.h"
#include "models/wire/addr.h"

namespace ol::runner {

using nlohmann::json;
using scenario::path_index;
using scenario::path_key;

ImportError::ImportError(std::string file, std::string where, const std::string& what, std::string fix)
    : std::runtime_error(fmt::format("{}: {}: {}\n    fix: {}", file, where, what, fix)),
      file(std::move(file)), where(std::move(where)), fix(std::move(fix)) {}

namespace {

constexpr const char* kPublicIp = "flannel.alpha.coreos.com/public-ip";
constexpr const char* kBackendType = "flannel.alpha.coreos.com/backend-type";

std::string read_text(const std::string& file, const char* how) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ImportError(file, "$", "cannot be read", fmt::format("check the path; make it with {}", how));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json read_json(const std::string& file, const char* how) {
  const std::string text = read_text(file, how);
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw ImportError(file, "$", "is not JSON", fmt::format("make it with {}", how));
  return j;
}

// A name as a network namespace takes it: lower-case letters, digits and '-', at most `max`
// characters, unique among everything named so far.
class Names {
 public:
  std::string claim(const std::string& want, std::size_t max) {
    std::string s;
    for (char c : want) {
      const char l = char(std::tolower(static_cast<unsigned char>(c)));
      const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
      if (ok) s += l;
      else if (!s.empty() && s.back() != '-') s += '-';
    }
    auto trim = [](std::string t) {
      while (!t.empty() && t.back() == '-') t.pop_back();
      return t.empty() ? std::string("x") : t;
    };
    // Too long: keep a trailing number (worker-node-01 → worker-no-01), which is what tells nodes apart.
    std::string base = trim(s.substr(0, max));
    if (s.size() > max) {
      std::size_t digits = 0;
      while (digits < 4 && digits < s.size() && std::isdigit(static_cast<unsigned char>(s[s.size() - 1 - digits]))) ++digits;
      if (digits > 0) base = trim(s.substr(0, max - 1 - digits)) + "-" + s.substr(s.size() - digits);
    }
    std::string name = base;
    for (int k = 2; used_.count(name); ++k) {
      const std::string suffix = "-" + std::to_string(k);
      name = trim(base.substr(0, max - suffix.size())) + suffix;
    }
    used_.insert(name);
    return name;
  }

 private:
  std::set<std::string> used_;
};

struct KubeNode {
  std::string real_name, name;
  wire::Ipv4Addr address;
  std::optional<std::string> pod_cidr;
  std::vector<std::string> pods;
};

std::string first_label(const std::string& n) {
  const auto dot = n.find('.');
  return dot == std::string::npos ? n : n.substr(0, dot);
}

std::vector<KubeNode> read_nodes(const std::string& file, Names& names, std::vector<std::string>& notes,
                                 const std::string& backend) {
  const char* how = "kubectl get nodes -o json > nodes.json";
  const json j = read_json(file, how);
  const json items = j.value("kind", "") == "Node" ? json::array({j}) : j.value("items", json());
  if (!items.is_array() || items.empty())
    throw ImportError(file, "$.items", "holds no nodes", fmt::format("make it with {}", how));
  std::vector<KubeNode> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& n = items[i];
    const std::string p = path_index("$.items", i);
    if (!n.contains("metadata") || !n["metadata"].contains("name") || !n["metadata"]["name"].is_string())
      throw ImportError(file, path_key(path_key(p, "metadata"), "name"), "a node without a name", "dump the nodes again with kubectl");
    KubeNode k;
    k.real_name = n["metadata"]["name"].get<std::string>();
    const json ann = n["metadata"].value("annotations", json::object());
    std::string addr;
    if (ann.contains(kPublicIp) && ann[kPublicIp].is_string()) addr = ann[kPublicIp].get<std::string>();
    if (addr.empty())
      for (const auto& a : n.value("status", json::object()).value("addresses", json::array()))
        if (a.value("type", "") == "InternalIP" && wire::Ipv4Addr::parse(a.value("address", ""))) {
          addr = a["address"].get<std::string>();
          break;
        }
    auto ip = wire::Ipv4Addr::parse(addr);
    if (!ip)
      throw ImportError(file, path_key(path_key(p, "status"), "addresses"),
                        fmt::format("node {} has neither flannel's public-ip annotation nor an IPv4 InternalIP", k.real_name),
                        "overlaylab models IPv4 underlays; give the node an InternalIP (or remove it from the list)");
    k.address = *ip;
    const json spec = n.value("spec", json::object());
    if (spec.contains("podCIDR") && spec["podCIDR"].is_string()) k.pod_cidr = spec["podCIDR"].get<std::string>();
    else notes.push_back(fmt::format("node {} has no spec.podCIDR: its lease is left to flanneld", k.real_name));
    if (ann.contains(kBackendType) && ann[kBackendType].is_string() && ann[kBackendType].get<std::string>() != backend)
      notes.push_back(fmt::format("node {}'s annotation says backend {}, net-conf.json says {}: the scenario uses {}", k.real_name,
                                  ann[kBackendType].get<std::string>(), backend, backend));
    k.name = names.claim(first_label(k.real_name), 12);
    out.push_back(std::move(k));
  }
  return out;
}

json embedded_json(const json& cm, const std::string& file, const char* key, bool required) {
  const json data = cm.value("data", json::object());
  const std::string p = path_key("$.data", key);
  if (!data.contains(key)) {
    if (!required) return nullptr;
    throw ImportError(file, p, "is missing", "dump kube-flannel's ConfigMap: kubectl -n kube-flannel get configmap kube-flannel-cfg -o json");
  }
  json j = json::parse(data[key].get<std::string>(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw ImportError(file, p, "is not a JSON object", "fix the ConfigMap: flanneld itself would refuse it");
  return j;
}

// One pod of `kubectl get pods -A -o wide` or `-o json`: where it runs and its address.
struct KubePod {
  std::string ns, name, node, ip;
  bool host_network = false;
};

std::vector<KubePod> pods_from_json(const json& j, const std::string& file) {
  std::vector<KubePod> out;
  const json items = j.value("items", json::array());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& p = items[i];
    if (!p.contains("metadata"))
      throw ImportError(file, path_index("$.items", i), "a pod without metadata", "dump the pods again: kubectl get pods -A -o json");
    const json spec = p.value("spec", json::object()), status = p.value("status", json::object());
    out.push_back({p["metadata"].value("namespace", "default"), p["metadata"].value("name", ""), spec.value("nodeName", ""),
                   status.value("podIP", ""), spec.value("hostNetwork", false)});
  }
  return out;
}

// The wide table: columns start where their headers start (RESTARTS may read "3 (5m ago)").
std::vector<KubePod> pods_from_table(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  std::string header;
  std::getline(in, header);
  std::vector<std::size_t> starts;  // where each header word starts
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] != ' ' && (i == 0 || header[i - 1] == ' ')) starts.push_back(i);
  auto col = [&](const std::string& h) {  // the first header word that is exactly h
    for (std::size_t at : starts)
      if (header.compare(at, h.size(), h) == 0 && (at + h.size() == header.size() || header[at + h.size()] == ' ')) return at;
    return std::string::npos;
  };
  const std::size_t c_ns = col("NAMESPACE"), c_name = col("NAME"), c_ip = col("IP"), c_node = col("NODE");
  if (c_ns != 0 || c_name == std::string::npos || c_ip == std::string::npos || c_node == std::string::npos)
    throw ImportError(file, "line 1", "is not the header of `kubectl get pods -A -o wide` (NAMESPACE NAME … IP NODE …)",
                      "make it with: kubectl get pods -A -o wide > pods.txt (or -o json)");
  auto field = [&](const std::string& line, std::size_t at) {
    auto it = std::upper_bound(starts.begin(), starts.end(), at);
    const std::size_t end = it == starts.end() ? line.size() : std::min(line.size(), *it);
    std::string f = at < line.size() ? line.substr(at, end - at) : "";
    f.erase(0, f.find_first_not_of(' '));
    f.erase(f.find_last_not_of(' ') + 1);
    return f;
  };
  std::vector<KubePod> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back({field(line, c_ns), field(line, c_name), field(line, c_node), field(line, c_ip), false});
  return out;
}

void place_pods(const std::string& file, std::vector<KubeNode>& nodes, Names& names, std::vector<std::string>& notes) {
  const std::string text = read_text(file, "kubectl get pods -A -o wide > pods.txt");
  const json j = json::parse(text, nullptr, false);
  const std::vector<KubePod> pods = j.is_discarded() ? pods_from_table(text, file) : pods_from_json(j, file);
  std::map<std::string, KubeNode*> by_name;
  std::set<std::uint32_t> node_ips;
  for (auto& n : nodes) {
    by_name[n.real_name] = &n;
    node_ips.insert(n.address.v);
  }
  std::size_t host_network = 0, elsewhere = 0;
  for (const auto& p : pods) {
    auto ip = wire::Ipv4Addr::parse(p.ip);
    if (p.host_network || (ip && node_ips.count(ip->v))) {  // kube-flannel, kube-proxy: the node's own stack
      ++host_network;
      continue;
    }
    auto it = by_name.find(p.node);
    if (it == by_name.end() || !ip) {
      ++elsewhere;
      continue;
    }
    it->second->pods.push_back(names.claim(p.ns == "default" ? p.name : p.ns + "-" + p.name, 40));
  }
  notes.push_back(fmt::format("{} pods placed; {} host-network pods left out (they use the node's own stack); {} not "
                              "running on a listed node or without an address left out",
                              pods.size() - host_network - elsewhere, host_network, elsewhere));
}

// One segment per /24 the node addresses fall in (the real masks are not in the dump); a router
// joins them when there are several.
json underlay(const std::vector<KubeNode>& nodes, Names& names, json& node_array) {
  std::map<std::uint32_t, std::vector<std::size_t>> by_net;
  for (std::size_t i = 0; i < nodes.size(); ++i) by_net[nodes[i].address.v & 0xffffff00u].push_back(i);
  json segs = json::array();
  std::size_t k = 0;
  for (const auto& [net, members] : by_net) {
    const std::string name = by_net.size() == 1 ? names.claim("underlay", 12) : names.claim(fmt::format("net-{}", ++k), 12);
    json seg = {{"name", name}, {"subnet", wire::Ipv4Prefix{{net}, 24}.str()}};
    if (by_net.size() > 1) {
      std::set<std::uint32_t> used;
      for (auto i : members) used.insert(nodes[i].address.v);
      for (std::uint32_t host = 254; host >= 1; --host)
        if (!used.count(net | host)) {
          seg["gateway"] = wire::Ipv4Addr{net | host}.str();
          break;
        }
      for (auto i : members) node_array[i]["segment"] = name;
    }
    segs.push_back(seg);
  }
  json u = {{"segments", segs}};
  if (by_net.size() > 1) u["router"] = names.claim("router", 12);
  return u;
}

}  // namespace

namespace {

// kubectl's output read with the wrong shape somewhere (a string where an object belongs): the
// file named, never a crash.
template <typename F>
auto guarded(const std::string& file, const char* how, F&& f) {
  try {
    return f();
  } catch (const nlohmann::json::exception& e) {
    throw ImportError(file, "$", fmt::format("has a value of the wrong type ({})", e.what()), fmt::format("make it with {}", how));
  }
}

}  // namespace

ImportResult import_cluster(const ImportInputs& in) {
  ImportResult r;
  const char* cm_how = "kubectl -n kube-flannel get configmap kube-flannel-cfg -o json > cm.json";
  const json cm = read_json(in.configmap_file, cm_how);
  json net_conf, cni_conf;
  std::string backend;
  guarded(in.configmap_file, cm_how, [&] {
    net_conf = embedded_json(cm, in.configmap_file, "net-conf.json", true);
    cni_conf = embedded_json(cm, in.configmap_file, "cni-conf.json", false);
    backend = net_conf.value("Backend", json::object()).value("Type", "udp");
    return 0;
  });
  Names names;
  names.claim(in.name, 40);
  std::vector<KubeNode> nodes = guarded(in.nodes_file, "kubectl get nodes -o json > nodes.json",
                                        [&] { return read_nodes(in.nodes_file, names, r.notes, backend); });
  if (in.pods_file)
    guarded(*in.pods_file, "kubectl get pods -A -o wide > pods.txt", [&] {
      place_pods(*in.pods_file, nodes, names, r.notes);
      return 0;
    });
  json node_array = json::array();
  std::string mapping;
  for (const auto& n : nodes) {
    json j = {{"name", n.name}, {"address", n.address.str()}};
    if (n.pod_cidr) j["pod_cidr"] = *n.pod_cidr;
    if (!n.pods.empty()) j["pods"] = n.pods;
    node_array.push_back(j);
    if (n.name != n.real_name) mapping += fmt::format("{}{} = {}", mapping.empty() ? "" : ", ", n.name, n.real_name);
  }
  json s = {{"name", in.name}};
  s["description"] = fmt::format("imported from a real cluster ({} nodes){}", nodes.size(),
                                 mapping.empty() ? "" : "; node names shortened: " + mapping);
  s["underlay"] = underlay(nodes, names, node_array);
  s["nodes"] = node_array;
  s["net-conf.json"] = net_conf;
  if (!cni_conf.is_null()) s["cni-conf.json"] = cni_conf;
  r.scenario = std::move(s);
  r.notes.push_back("underlay segments are /24s around the node addresses (the dump has no masks); pod addresses are "
                    "handed out again by host-local, in the order of the pod list");
  return r;
}

}  // namespace ol::runner
