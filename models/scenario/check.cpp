#include "models/scenario/check.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "models/scenario/cni_conf.h"
#include "models/scenario/dhcp_conf.h"
#include "models/scenario/load.h"

namespace ol::scenario {

using nlohmann::json;

namespace {

constexpr const char* kNetConf = "$[\"net-conf.json\"]";

Nanos duration(const json& v) { return *parse_duration(v.get<std::string>()); }

bool overlaps(const Ipv4Prefix& a, const Ipv4Prefix& b) {
  int len = std::min(a.len, b.len);
  return (a.addr.v & wire::prefix_mask(len)) == (b.addr.v & wire::prefix_mask(len));
}

class Builder {
 public:
  Builder(const json& doc, std::vector<Problem>& out) : doc_(doc), out_(out) {}

  Scenario build() {
    s_.name = doc_["name"];
    s_.description = doc_.value("description", "");
    if (doc_.contains("seed")) s_.seed = doc_["seed"].get<std::uint64_t>();
    s_.net_conf.verbatim = doc_["net-conf.json"];
    apply_netconf_defaults(s_.net_conf, kNetConf, out_);
    cni();
    read_dhcp_daemon(doc_, s_);
    if (doc_.contains("offloads")) {
      s_.gso = doc_["offloads"].value("gso", true);
      s_.gso_off = doc_["offloads"].value("gso_off", std::vector<std::string>{});
    }
    control_plane();
    if (!out_.empty()) return s_;  // the rest relies on a readable pod network
    segments();
    if (!out_.empty()) return s_;  // nodes are placed on segments
    nodes();
    if (!out_.empty()) return s_;
    check_cni(doc_, s_, out_);
    check_dhcp(s_, out_);
    leases();
    workloads();
    events();
    return s_;
  }

 private:
  void add(std::string path, std::string message, std::string fix) {
    out_.push_back({std::move(path), std::move(message), std::move(fix)});
  }

  void control_plane() {
    if (!doc_.contains("control_plane")) return;
    const json& c = doc_["control_plane"];
    if (c.contains("watch_delay")) s_.watch_delay = duration(c["watch_delay"]);
    if (c.contains("watch_fanout")) s_.watch_fanout = duration(c["watch_fanout"]);
    if (c.contains("netlink_request_cost")) s_.netlink_request_cost = duration(c["netlink_request_cost"]);
    if (c.contains("lease_ttl")) s_.lease_ttl = duration(c["lease_ttl"]);
    if (c.contains("renew_margin")) s_.renew_margin = duration(c["renew_margin"]);
    if (s_.lease_ttl <= 0) add("$.control_plane.lease_ttl", "a lease must live longer than 0", "write e.g. \"24h\"");
    else if (s_.renew_margin <= 0 || s_.renew_margin >= s_.lease_ttl)
      add("$.control_plane.renew_margin", "the renewal margin must be more than 0 and less than lease_ttl",
          "flanneld accepts 1 to 1439 minutes of a 24 h lease; write e.g. \"60min\"");
  }

  // A name becomes a namespace: nodes, pods, segments and the router share one name space.
  bool claim(const std::string& name, const std::string& path, const char* what) {
    auto [it, fresh] = names_.emplace(name, path);
    if (!fresh) add(path, fmt::format("the {} name \"{}\" is already used at {}", what, name, it->second),
                    "give every node, pod, segment and router its own name (each becomes a network namespace)");
    return fresh;
  }

  void cni() { read_cni(doc_, s_, out_); }

  void segments() {
    const std::string base = "$.underlay.segments";
    json segs = doc_.contains("underlay") && doc_["underlay"].contains("segments")
                    ? doc_["underlay"]["segments"]
                    : json::parse(R"([{"name":"underlay","subnet":"192.168.100.0/24"}])");
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const std::string p = path_index(base, i);
      Segment g;
      g.name = segs[i]["name"];
      claim(g.name, path_key(p, "name"), "segment");
      auto sub = Ipv4Prefix::parse(segs[i]["subnet"].get<std::string>());
      if (!sub || sub->len < 8 || sub->len > 30) {
        add(path_key(p, "subnet"), fmt::format("\"{}\" is not a usable underlay subnet", segs[i]["subnet"].get<std::string>()),
            "write a prefix from /8 to /30 such as \"192.168.100.0/24\"");
        continue;
      }
      if (!sub->is_network()) {
        add(path_key(p, "subnet"), fmt::format("{} has host bits set", sub->str()),
            fmt::format("write \"{}/{}\"", sub->network().str(), sub->len));
        continue;
      }
      g.subnet = *sub;
      if (overlaps(*sub, s_.net_conf.network))
        add(path_key(p, "subnet"), fmt::format("the underlay {} overlaps the pod network {}", sub->str(), s_.net_conf.network.str()),
            "keep the underlay outside net-conf.json's Network (pods and nodes would route into each other)");
      for (std::size_t k = 0; k < s_.segments.size(); ++k)
        if (overlaps(*sub, s_.segments[k].subnet))
          add(path_key(p, "subnet"), fmt::format("{} overlaps segment \"{}\" ({})", sub->str(), s_.segments[k].name,
                                                 s_.segments[k].subnet.str()),
              "give every segment its own subnet");
      if (segs[i].contains("gateway")) g.gateway = host_in(segs[i]["gateway"], *sub, path_key(p, "gateway"));
      if (segs[i].contains("delay")) g.delay = duration(segs[i]["delay"]);
      if (segs[i].value("shaper", "netem") == "tbf") {
        g.shaper = Segment::Shaper::Tbf;
        if (g.delay != 0)
          add(path_key(p, "delay"), "a tbf-shaped segment cannot delay (tbf has no delay)",
              "remove \"delay\", or shape with \"netem\"");
      }
      s_.segments.push_back(g);
    }
    if (doc_.contains("underlay") && doc_["underlay"].contains("router")) {
      s_.router = doc_["underlay"]["router"].get<std::string>();
      claim(*s_.router, "$.underlay.router", "router");
    }
    if (s_.segments.size() > 1 && !s_.router)
      add("$.underlay", fmt::format("{} segments but no router joins them", s_.segments.size()),
          "add \"router\": \"router\" (a forwarding namespace) and a \"gateway\" per segment");
    if (s_.router)
      for (std::size_t i = 0; i < s_.segments.size(); ++i)
        if (!s_.segments[i].gateway)
          add(path_index(base, i), "the router needs an address on every segment: no \"gateway\" here",
              fmt::format("add \"gateway\": \"{}\"", Ipv4Addr{s_.segments[i].subnet.broadcast().v - 1}.str()));
  }

  // An address for a host on `sub`: inside it, and neither its network nor its broadcast address.
  std::optional<Ipv4Addr> host_in(const json& v, const Ipv4Prefix& sub, const std::string& path) {
    auto a = Ipv4Addr::parse(v.get<std::string>());
    if (!a) {
      add(path, fmt::format("\"{}\" is not a valid IPv4 address", v.get<std::string>()), "write an address such as \"192.168.100.1\"");
      return std::nullopt;
    }
    if (!sub.contains(*a)) {
      add(path, fmt::format("{} is outside its segment {}", a->str(), sub.str()),
          fmt::format("pick an address inside {}", sub.str()));
      return std::nullopt;
    }
    if (*a == sub.network() || *a == sub.broadcast()) {
      add(path, fmt::format("{} is the {} address of {}", a->str(), *a == sub.network() ? "network" : "broadcast", sub.str()),
          "pick a host address");
      return std::nullopt;
    }
    return a;
  }

  void nodes() {
    const json& nodes = doc_["nodes"];
    std::unordered_map<std::uint32_t, std::string> addrs;
    std::unordered_map<std::uint32_t, std::string> cidrs;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const json& j = nodes[i];
      const std::string p = path_index("$.nodes", i);
      Node n;
      n.name = j["name"];
      claim(n.name, path_key(p, "name"), "node");
      if (j.contains("segment")) {
        auto it = std::find_if(s_.segments.begin(), s_.segments.end(), [&](const Segment& g) { return g.name == j["segment"]; });
        if (it == s_.segments.end()) {
          add(path_key(p, "segment"), fmt::format("no segment named \"{}\"", j["segment"].get<std::string>()),
              "name one of $.underlay.segments");
          continue;
        }
        n.segment = std::size_t(it - s_.segments.begin());
      } else if (s_.segments.size() > 1) {
        add(p, "missing \"segment\": there are several segments", "add \"segment\" naming one of $.underlay.segments");
        continue;
      }
      if (s_.segments.empty()) continue;
      const Segment& seg = s_.segments[n.segment];
      const std::string ap = path_key(p, "address");
      auto addr = host_in(j["address"], seg.subnet, ap);
      if (!addr) continue;
      n.address = *addr;
      if (seg.gateway && *seg.gateway == *addr)
        add(ap, fmt::format("{} is the router's address on \"{}\"", addr->str(), seg.name), "pick another address");
      if (auto [it, fresh] = addrs.emplace(addr->v, ap); !fresh)
        add(ap, fmt::format("{} is already the address of {}", addr->str(), it->second), "give every node its own address");
      n.cores = j.value("cores", 4);
      n.nic_gbps = j.value("nic_gbps", 10.0);
      n.mtu = j.value("mtu", 1500);
      if (j.contains("pod_cidr")) n.pod_cidr = pod_cidr(j["pod_cidr"], path_key(p, "pod_cidr"), cidrs);
      pods(n, j, p);
      read_node_cni(j, p, n);
      read_node_dhcp(j, n);
      s_.nodes.push_back(std::move(n));
    }
  }

  std::optional<Ipv4Prefix> pod_cidr(const json& v, const std::string& path, std::unordered_map<std::uint32_t, std::string>& seen) {
    const NetConf& nc = s_.net_conf;
    auto c = Ipv4Prefix::parse(v.get<std::string>());
    if (!c) {
      add(path, fmt::format("\"{}\" is not a valid IPv4 prefix", v.get<std::string>()), "write a prefix such as \"10.244.1.0/24\"");
      return std::nullopt;
    }
    if (c->len != nc.subnet_len || !c->is_network() || !nc.network.contains(c->addr)) {
      add(path, fmt::format("{} is not a /{} subnet of {}", c->str(), nc.subnet_len, nc.network.str()),
          fmt::format("write an aligned /{} inside {}, e.g. \"{}/{}\"", nc.subnet_len, nc.network.str(), nc.subnet_min.str(), nc.subnet_len));
      return std::nullopt;
    }
    // No SubnetMin..SubnetMax here: in kube mode the controller-manager hands out node.spec.podCIDR
    // from the whole cluster CIDR (the first node commonly gets 10.244.0.0/24) and flanneld takes it.
    if (auto [it, fresh] = seen.emplace(c->addr.v, path); !fresh) {
      add(path, fmt::format("{} is already the pod_cidr at {}", c->str(), it->second), "give every node its own subnet");
      return std::nullopt;
    }
    return c;
  }

  void pods(Node& n, const json& j, const std::string& p) {
    if (!j.contains("pods")) return;
    const auto& pods = j["pods"];
    // host-local hands out .2 … broadcast-1; .1 is the gateway on cni0.
    const std::size_t capacity = (std::size_t(1) << (32 - s_.net_conf.subnet_len)) - 3;
    if (pods.size() > capacity) {
      add(path_key(p, "pods"),
          fmt::format("{} pods, but a /{} lease holds {} pod addresses: host-local would fail with "
                      "\"no IP addresses available in range set\"",
                      pods.size(), s_.net_conf.subnet_len, capacity),
          fmt::format("use at most {} pods per node, or a shorter SubnetLen in net-conf.json", capacity));
      return;
    }
    for (std::size_t k = 0; k < pods.size(); ++k) {
      std::string name = pods[k];
      if (claim(name, path_index(path_key(p, "pods"), k), "pod")) n.pods.push_back(name);
    }
  }

  void leases() {
    const NetConf& nc = s_.net_conf;
    if (nc.subnet_min > nc.subnet_max) return;
    const std::uint64_t pool = ((std::uint64_t(nc.subnet_max.v) - nc.subnet_min.v) >> (32 - nc.subnet_len)) + 1;
    if (s_.nodes.size() > pool)
      add(path_index("$.nodes", std::size_t(pool)),
          fmt::format("{} nodes but SubnetMin..SubnetMax ({} .. {}) holds {} /{} leases: flanneld on \"{}\" would fail "
                      "with \"out of subnets\"",
                      s_.nodes.size(), nc.subnet_min.str(), nc.subnet_max.str(), pool, nc.subnet_len,
                      s_.nodes[std::size_t(pool)].name),
          "use a larger Network, a longer SubnetLen, or fewer nodes");
  }

  void workloads() {
    if (!doc_.contains("workloads")) return;
    const auto homes = s_.pod_homes();
    auto is_pod = [&](const std::string& name) { return homes.count(name) != 0; };
    const json& ws = doc_["workloads"];
    for (std::size_t i = 0; i < ws.size(); ++i) {
      const std::string p = path_index("$.workloads", i);
      Workload w;
      w.type = ws[i]["type"];
      w.from = ws[i]["from"];
      w.to = ws[i]["to"];
      for (auto [key, name] : {std::pair{"from", w.from}, std::pair{"to", w.to}})
        if (!is_pod(name)) add(path_key(p, key), fmt::format("no pod named \"{}\"", name), "name a pod listed under a node's \"pods\"");
      if (ws[i].contains("at")) w.at = duration(ws[i]["at"]);
      w.count = ws[i].value("count", 1);
      if (ws[i].contains("interval")) w.interval = duration(ws[i]["interval"]);
      w.size = ws[i].value("size", w.type == "udp" ? 1400 : 56);
      if (ws[i].contains("duration")) w.duration = duration(ws[i]["duration"]);
      w.rate_pps = ws[i].value("rate_pps", 0.0);
      w.port = std::uint16_t(ws[i].value("port", int(5001 + i)));
      s_.workloads.push_back(w);
    }
  }

  void events() {
    if (doc_.contains("events")) read_events(doc_["events"], s_, out_);
  }

  const json& doc_;
  std::vector<Problem>& out_;
  Scenario s_;
  std::map<std::string, std::string> names_;  // name → the JSON path that first used it
};

}  // namespace

Scenario build_scenario(const json& doc, std::vector<Problem>& problems) { return Builder(doc, problems).build(); }

}  // namespace ol::scenario
