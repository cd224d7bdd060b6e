#include "validate/cni_check.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "models/cni/flannel_plugin.h"
#include "models/cni/invoke.h"
#include "models/cni/libcni.h"
#include "models/kernel/apply.h"
#include "models/kernel/dump.h"
#include "models/kernel/world.h"
#include "sim/simulator.h"
#include "validate/cni_dhcp.h"
#include "validate/exec.h"
#include "validate/prefix.h"
#include "validate/real_builder.h"

namespace ol::validate {

namespace {

namespace fs = std::filesystem;
namespace nc = netconfig;

constexpr const char* kPlugins = "/usr/lib/cni";

class SimHost final : public cni::HostView {
 public:
  explicit SimHost(kernel::World& w) : w_(w) {}
  bool link_exists(const std::string& ns, const std::string& dev) const override {
    auto* n = w_.netns(ns);
    return n && n->dev_by_name(dev);
  }
  std::vector<wire::Ipv4Prefix> addresses(const std::string& ns, const std::string& dev) const override {
    std::vector<wire::Ipv4Prefix> out;
    if (auto* n = w_.netns(ns))
      if (auto* d = n->dev_by_name(dev))
        for (const auto& a : d->addrs) out.push_back(a.local);
    return out;
  }

 private:
  kernel::World& w_;
};

// The real plugin's random choices, made comparable: MACs, and veth names in order of appearance.
std::string normalise(const std::string& text, const std::string& prefix) {
  static const std::regex mac("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), veth("veth[0-9a-f]{8}");
  std::string s = std::regex_replace(text, mac, "MAC");
  std::map<std::string, std::string> names;
  std::string out;
  auto begin = std::sregex_iterator(s.begin(), s.end(), veth);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += s.substr(last, std::size_t(it->position()) - last);
    auto [n, fresh] = names.emplace(it->str(), "veth#" + std::to_string(names.size() + 1));
    out += n->second;
    last = std::size_t(it->position() + it->length());
  }
  out += s.substr(last);
  std::string r;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.find("inet6") != std::string::npos || line.find("valid_lft") != std::string::npos) continue;
    if (!prefix.empty())
      for (std::size_t at; (at = line.find(prefix)) != std::string::npos;) line.erase(at, prefix.size());
    r += line + "\n";
  }
  return r;
}

std::string inet_lines(const std::string& addr);

// A link whose carrier is on but whose operstate linkwatch has not yet updated (it runs up to a
// second later) reads "NO-CARRIER ... LOWER_UP ... state DOWN". The bridge plugin waits for its
// port to be up; ptp does not, so the reading waits for the kernel to settle first.
std::string settled_links(const std::string& ns) {
  std::string links;
  for (int i = 0; i < 30; ++i) {
    links = run_argv({"ip", "-n", ns, "link"}).out;
    bool pending = false;
    std::istringstream in(links);
    for (std::string line; std::getline(in, line);)
      pending |= line.find("NO-CARRIER") != std::string::npos && line.find("LOWER_UP") != std::string::npos;
    if (!pending) break;
    ::usleep(100 * 1000);
  }
  return links;
}

std::string real_tables(const std::string& ns, const std::string& prefix) {
  std::string s;
  s += settled_links(ns);
  s += inet_lines(run_argv({"ip", "-4", "-n", ns, "addr"}).out);
  s += run_argv({"ip", "-n", ns, "route"}).out;
  s += run_argv({"ip", "-n", ns, "route", "show", "table", "local"}).out;
  s += "ip_forward=" + run_argv({"ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.ip_forward"}).out;
  return normalise(s, prefix);
}

// Only the "inet" lines of `ip addr`: the real side asks `ip -4 addr`, which lists no device without one.
std::string inet_lines(const std::string& addr) {
  std::string s;
  std::istringstream in(addr);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("    inet ", 0) == 0) s += line + "\n";
  return s;
}

std::string sim_tables(const kernel::Netns& ns) {
  return normalise(kernel::dump_links(ns) + inet_lines(kernel::dump_addrs(ns)) + kernel::dump_routes(ns) +
                       kernel::dump_local_routes(ns) + "ip_forward=" + (ns.ip_forward ? "1" : "0") + "\n",
                   "");
}

std::string real_files(const std::string& dir) {
  std::vector<std::string> names;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string s;
  for (const auto& n : names) {
    std::ifstream in(dir + "/" + n, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    s += n + ": " + ss.str() + "\n";
  }
  return s;
}

std::string sim_files(const nc::Files& files, const std::string& dir) {
  std::string s;
  for (const auto& p : files.list(dir)) s += p.substr(dir.size() + 1) + ": " + *files.read(p) + "\n";
  return s;
}

int compare(const std::string& what, const std::string& sim, const std::string& real, std::ostream& out) {
  if (sim == real) {
    out << fmt::format("cni: {}: identical\n", what);
    return 0;
  }
  out << fmt::format("cni: {}: DIFFERENT\n--- simulator\n{}--- kernel\n{}", what, sim, real);
  return 1;
}

}  // namespace

namespace {

// The configuration the pod's main plugin gets on node 1: flannel's delegate (rendered from a
// subnet.env for the node's lease, as the flannel plugin would) or a standalone plugin's own.
nlohmann::json main_plugin_conf(const scenario::Scenario& s, const cni::ConfList& list, const std::string& data_dir) {
  const scenario::Node& node = s.nodes.front();
  nlohmann::json first = list.plugins.front();
  first["name"] = list.name;
  first["cniVersion"] = list.cni_version;
  nlohmann::json conf = first;
  if (first["type"] == "flannel") {
    const wire::Ipv4Prefix lease = node.pod_cidr.value_or(wire::Ipv4Prefix{s.net_conf.subnet_min, s.net_conf.subnet_len});
    const int mtu = node.mtu - 50;  // FLANNEL_MTU as the vxlan backend writes it
    conf = cni::flannel_delegate_conf(first, {s.net_conf.network, {wire::Ipv4Addr{lease.network().v + 1}, lease.len}, mtu, true});
  }
  if (conf["ipam"].value("type", "") == "dhcp") conf["ipam"]["daemonSocketPath"] = data_dir + "/dhcp.sock";
  else conf["ipam"]["dataDir"] = data_dir;
  return conf;
}

// A result as text both sides print alike: keys sorted, random names and the run's prefix normalised.
std::string result_text(const nlohmann::json& j, const std::string& prefix) { return normalise(j.dump(2) + "\n", prefix); }

}  // namespace

int cni_cross_check(const scenario::Scenario& s, std::ostream& out) {
  const scenario::Node& node = s.nodes.front();
  const cni::ConfDirChoice choice = cni::choose_conf(node.cni_conf_dir ? *node.cni_conf_dir : s.cni.conf_dir);
  if (!choice.chosen) {
    out << fmt::format("cni: node {} has no network configuration in {}\n", node.name, cni::kConfDir);
    return 2;
  }
  const std::string data_dir = fmt::format("/tmp/overlaylab-cni-{}", ::getpid());
  const nlohmann::json conf = main_plugin_conf(s, *choice.chosen, data_dir);
  const std::string type = conf["type"].get<std::string>();
  const std::string ipam_type = conf["ipam"].value("type", "host-local");
  for (const std::string& bin : {type, ipam_type})
    if (!fs::exists(std::string(kPlugins) + "/" + bin)) {
      out << fmt::format("cni: skipped: the reference plugin {} is not in {} (apt-get install containernetworking-plugins)\n",
                         bin, kPlugins);
      return 2;
    }
  out << fmt::format("cni: {} of {} with {} ({}), cniVersion {}, on node {}\n", type, choice.chosen->file, ipam_type,
                     choice.chosen->plugins.front()["type"] == "flannel" ? "rendered by the flannel plugin" : "as written",
                     conf["cniVersion"].get<std::string>(), node.name);
  const std::string stdin_conf = conf.dump();
  const std::vector<std::string> pods = {"cni-a", "cni-b", "cni-c"};

  const bool dhcp = ipam_type == "dhcp";
  if (dhcp && !node.dhcp_server) {
    out << fmt::format("cni: skipped: node {} uses dhcp IPAM but has no dhcp_server to run on both sides\n", node.name);
    return 2;
  }
  // The simulated side.
  Simulator sim;
  kernel::World world(sim);
  SimHost host(world);
  nc::Files files;
  const cni::Naming names(s.seed);
  kernel::apply(world, nc::NetnsAdd{node.name});
  // The real side, in namespaces made the same way (fresh: lo down).
  RealBuilder real(run_prefix() + "c-");
  real.apply(nc::NetnsAdd{node.name});
  std::unique_ptr<DhcpSides> dhcp_sides;
  if (dhcp) {
    fs::create_directories(data_dir);
    dhcp_sides = std::make_unique<DhcpSides>(s, node, choice.chosen->plugins.front(), world, real, names, data_dir);
    if (!dhcp_sides->start(out)) {
      dhcp_sides.reset();
      fs::remove_all(data_dir);
      return 2;
    }
  }
  auto real_call = [&](const char* command, const std::string& pod) {
    return run_argv({"ip", "netns", "exec", real.prefix() + node.name, "env", std::string("CNI_COMMAND=") + command,
                     "CNI_CONTAINERID=" + names.container_id(pod), "CNI_NETNS=/var/run/netns/" + real.prefix() + pod,
                     "CNI_IFNAME=eth0", std::string("CNI_PATH=") + kPlugins, std::string(kPlugins) + "/" + type},
                    &stdin_conf);
  };
  auto sim_call = [&](const char* command, const std::string& pod) {
    nc::NetConfig cfg;
    cni::PluginHost h{host, files, names, cfg};
    std::size_t applied = 0;  // commands the dhcp plugin had applied before its call
    if (dhcp_sides) dhcp_sides->plug(h, applied);
    const cni::Runtime rt{names.container_id(pod), pod, "eth0", {}, node.name};
    nlohmann::json printed;
    try {
      const cni::Result r = cni::exec_plugin(type, command, conf, rt, h);
      if (std::string(command) == "ADD") printed = cni::result_json(r, conf["cniVersion"].get<std::string>());
    } catch (const cni::CniError& e) {
      printed = cni::error_json(e);
    }
    for (std::size_t i = applied; i < cfg.commands.size(); ++i) kernel::apply(world, cfg.commands[i].op);
    return printed;
  };
  int differences = 0;
  auto compare_call = [&](const char* command, const std::string& pod) {
    const nlohmann::json sim_out = sim_call(command, pod);
    const ExecResult r = real_call(command, pod);
    const nlohmann::json real_out = r.out.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(r.out, nullptr, false);
    if (r.status != 0 && sim_out.is_null()) {
      out << fmt::format("cni: the real {} plugin refused {} for {}: {}{}\n", type, command, pod, r.out, r.err);
      ++differences;
      return;
    }
    differences += compare(fmt::format("{} {}: the plugin's stdout", command, pod), result_text(sim_out, ""),
                           result_text(real_out, real.prefix()), out);
  };
  for (const auto& pod : pods) {
    kernel::apply(world, nc::NetnsAdd{pod});
    real.apply(nc::NetnsAdd{pod});
    compare_call("ADD", pod);
  }
  const std::string dir = data_dir + "/" + conf["name"].get<std::string>();
  auto check = [&](const std::string& when) {
    differences += compare(when + ", node " + node.name, sim_tables(*world.netns(node.name)), real_tables(real.prefix() + node.name, real.prefix()), out);
    for (const auto& pod : pods)
      if (world.netns(pod))
        differences += compare(when + ", pod " + pod, sim_tables(*world.netns(pod)), real_tables(real.prefix() + pod, real.prefix()), out);
    if (dhcp_sides)
      differences += compare(when + ", the DHCP server's leases", dhcp_sides->sim_leases(), dhcp_sides->real_leases(), out);
    else
      differences += compare(when + ", host-local's files", sim_files(files, dir), real_files(dir), out);
  };
  check("after ADD of 3 pods");
  // DEL of the second pod: its interface goes, its address is released; the namespace stays.
  // A second DEL must succeed too and change nothing (DEL is idempotent).
  compare_call("DEL", pods[1]);
  check("after DEL of cni-b");
  compare_call("DEL", pods[1]);
  check("after a second DEL of cni-b");
  dhcp_sides.reset();
  fs::remove_all(data_dir);
  return differences ? 1 : 0;
}

}  // namespace ol::validate
