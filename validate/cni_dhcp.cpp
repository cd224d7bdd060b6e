#include "validate/cni_dhcp.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "lab/dhcp_wiring.h"
#include "models/kernel/apply.h"
#include "validate/exec.h"

namespace ol::validate {

namespace {
namespace fs = std::filesystem;
namespace nc = netconfig;
constexpr const char* kDnsmasq = "/usr/sbin/dnsmasq";
constexpr const char* kDaemon = "/usr/lib/cni/dhcp";

// "EXPIRY MAC IP HOSTNAME CLIENTID" → "T MAC IP * CLIENTID", sorted by address.
std::string normalised(std::vector<std::string> lines) {
  std::vector<std::pair<std::uint32_t, std::string>> rows;
  for (const auto& l : lines) {
    std::istringstream in(l);
    std::string expiry, mac, ip, host, id;
    if (!(in >> expiry >> mac >> ip >> host >> id)) continue;
    rows.emplace_back(wire::Ipv4Addr::parse(ip).value_or(wire::Ipv4Addr{}).v, fmt::format("T MAC {} {} {}\n", ip, host, id));
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const auto& [ip, row] : rows) out += row;
  return out.empty() ? "(no leases)\n" : out;
}

std::string millis(Nanos t) { return fmt::format("{}ms", t / kNanosPerMilli); }

bool wait_for(const std::string& path) {
  for (int i = 0; i < 100; ++i) {
    if (fs::exists(path)) return true;
    ::usleep(50 * 1000);
  }
  return false;
}
}  // namespace

DhcpSides::DhcpSides(const scenario::Scenario& s, const scenario::Node& node, const nlohmann::json& plugin, kernel::World& world,
                     RealBuilder& real, const cni::Naming& names, std::string dir)
    : s_(s), node_(node), plugin_(plugin), world_(world), real_(real), names_(names), dir_(std::move(dir)),
      socket_(dir_ + "/dhcp.sock") {}

DhcpSides::~DhcpSides() {
  daemon_.reset();
  server_.reset();
  stop_background(real_daemon_);
  stop_background(dnsmasq_);
}

bool DhcpSides::start(std::ostream& out) {
  for (const char* bin : {kDnsmasq, kDaemon})
    if (!fs::exists(bin)) {
      out << fmt::format("cni: skipped: {} is not installed (apt-get install dnsmasq-base containernetworking-plugins)\n", bin);
      return false;
    }
  const scenario::DhcpServerSpec& d = *node_.dhcp_server;
  nc::NetConfig wiring;
  cluster::wire_dhcp_server(node_.name, plugin_, d, names_, wiring);
  for (const auto& c : wiring.commands) {
    kernel::apply(world_, c.op);
    if (std::string e = real_.apply(c.op); !e.empty()) {
      out << fmt::format("cni: the kernel refused the DHCP server's wiring: {}\n", e);
      return false;
    }
  }
  const std::string srv = cluster::dhcp_server_netns(node_.name);
  server_ = std::make_unique<traffic::DhcpServer>(*world_.netns(srv), cluster::dhcp_server_conf(d));
  kernel::World& w = world_;
  daemon_ = std::make_unique<traffic::CniDhcpDaemon>(
      world_, socket_, traffic::DhcpClientConf{s_.dhcp_daemon.timeout, s_.dhcp_daemon.resend_max},
      [&w](const std::function<bool()>& done) {
        while (!done() && w.sim.step()) {
        }
      });
  daemon_->set_link = [&w](const std::string& netns, const std::string& dev, bool up) {
    kernel::apply(w, nc::LinkSet{.netns = netns, .dev = dev, .up = up});
  };
  // dnsmasq as the model's server describes itself; DNS off, its files in `dir`.
  std::vector<std::string> argv = {"ip", "netns", "exec", real_.prefix() + srv, kDnsmasq, "--conf-file=/dev/null",
                                   "--keep-in-foreground", "--port=0", "--no-resolv", "--no-hosts", "--interface=eth0",
                                   "--bind-interfaces", "--dhcp-sequential-ip", "--no-ping", "--user=root", "--group=root",
                                   fmt::format("--dhcp-range={},{},{}", d.first.str(), d.last.str(), d.lease_time / kNanosPerSecond),
                                   "--dhcp-leasefile=" + dir_ + "/dnsmasq.leases", "--pid-file=" + dir_ + "/dnsmasq.pid",
                                   "--log-facility=" + dir_ + "/dnsmasq.log", "--log-dhcp"};
  if (d.router) argv.push_back("--dhcp-option=3," + d.router->str());
  if (!d.routes.empty()) {
    std::string o = "--dhcp-option=121";
    for (const auto& [dst, gw] : d.routes) o += "," + dst.str() + "," + gw.str();
    argv.push_back(o);
  }
  dnsmasq_ = spawn_background(argv);
  real_daemon_ = spawn_background({"ip", "netns", "exec", real_.prefix() + node_.name, kDaemon, "daemon", "-socketpath", socket_,
                                   "-timeout", millis(s_.dhcp_daemon.timeout), "-resendmax", millis(s_.dhcp_daemon.resend_max)});
  if (!wait_for(dir_ + "/dnsmasq.pid") || !wait_for(socket_)) {
    out << fmt::format("cni: dnsmasq or the CNI dhcp daemon did not start (see {}/dnsmasq.log)\n", dir_);
    return false;
  }
  out << fmt::format("cni: DHCP server: the model's and dnsmasq (--dhcp-range={},{},{}s), the model's dhcp daemon and "
                     "Debian's {} daemon\n",
                     d.first.str(), d.last.str(), d.lease_time / kNanosPerSecond, kDaemon);
  return true;
}

void DhcpSides::plug(cni::PluginHost& h, std::size_t& applied) {
  traffic::CniDhcpDaemon* daemon = daemon_.get();
  h.dial_dhcp = [daemon](const std::string& path) -> cni::DhcpRpc* { return path == daemon->socket_path() ? daemon : nullptr; };
  h.sync = [this, &h, &applied] {
    for (; applied < h.out.commands.size(); ++applied) kernel::apply(world_, h.out.commands[applied].op);
  };
}

std::string DhcpSides::sim_leases() const {
  std::vector<std::string> lines;
  for (const auto& l : server_->leases()) {
    std::string id;
    for (auto b : l.client_id) id += fmt::format("{}{:02x}", id.empty() ? "" : ":", b);
    lines.push_back(fmt::format("{} {} {} * {}", l.expires / kNanosPerSecond, l.mac.str(), l.ip.str(), id.empty() ? "*" : id));
  }
  return normalised(lines);
}

std::string DhcpSides::real_leases() const {
  std::vector<std::string> lines;
  std::ifstream in(dir_ + "/dnsmasq.leases");
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return normalised(lines);
}

}  // namespace ol::validate
