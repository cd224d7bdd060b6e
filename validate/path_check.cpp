#include "validate/path_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "lab/session.h"
#include "runner/run.h"
#include "validate/encap_summary.h"
#include "validate/exec.h"
#include "validate/in_netns.h"
#include "validate/live_capture.h"

namespace ol::validate {

namespace {

constexpr int kUdpSize = 100;
constexpr Nanos kProbeSpacing = kNanosPerSecond;

std::uint16_t udp_port(std::size_t probe) { return std::uint16_t(5001 + probe); }
// The simulated UDP flow's source port (models/traffic/udp_flow.cpp); the real sender binds the same.
std::uint16_t udp_src_port(std::uint16_t port) { return std::uint16_t(40000 + port % 20000); }

// The probes as workloads, one after the other once the control plane has settled (at `settled`):
// pings, then the UDP datagrams, one second per probe.
scenario::Scenario probe_scenario(const scenario::Scenario& s, Nanos settled, const std::vector<PathProbe>& probes,
                                  const PathCheckOptions& o) {
  scenario::Scenario sc = s;
  sc.workloads.clear();
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const Nanos t0 = settled + 10 * kNanosPerMilli + Nanos(i) * kProbeSpacing;
    scenario::Workload ping{.type = "ping", .from = probes[i].from, .to = probes[i].to, .at = t0, .count = o.pings,
                            .interval = 200 * kNanosPerMilli, .size = probes[i].ping_size};
    const double pps = 100;
    scenario::Workload udp{.type = "udp", .from = probes[i].from, .to = probes[i].to, .at = t0 + 700 * kNanosPerMilli,
                           .size = kUdpSize, .duration = Nanos(o.datagrams / pps * 1e9), .rate_pps = pps,
                           .port = udp_port(i)};
    sc.workloads.push_back(ping);
    sc.workloads.push_back(udp);
  }
  return sc;
}

sockaddr_in sockaddr_of(const std::string& ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

// A UDP socket bound in the destination pod that counts datagrams until it has `want` or a second
// passes without one; exits with the count. Returns once the socket is bound.
int start_sink(const std::string& netns, std::uint16_t port, int want) {
  int ready[2];
  if (pipe(ready) != 0) return -1;
  const int pid = fork_in_netns(netns, [&] {
    close(ready[0]);
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    const sockaddr_in a = sockaddr_of("0.0.0.0", port);
    if (fd < 0 || bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return 126;
    (void)!write(ready[1], "x", 1);
    int got = 0;
    char buf[2048];
    pollfd p{fd, POLLIN, 0};
    while (got < want && poll(&p, 1, 1000) == 1)
      if (recv(fd, buf, sizeof buf, 0) >= 0) ++got;
    return got;
  });
  close(ready[1]);
  char c;
  pollfd p{ready[0], POLLIN, 0};
  if (pid > 0 && poll(&p, 1, 2000) == 1) (void)!read(ready[0], &c, 1);
  close(ready[0]);
  return pid;
}

// Sends `count` datagrams of kUdpSize bytes, 10 ms apart, from the source pod.
void send_datagrams(const std::string& netns, const std::string& dst, std::uint16_t port, int count) {
  const int pid = fork_in_netns(netns, [&] {
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    const sockaddr_in src = sockaddr_of("0.0.0.0", udp_src_port(port)), to = sockaddr_of(dst, port);
    if (fd < 0 || bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof src) != 0) return 126;
    const std::string payload(kUdpSize, 'o');
    for (int i = 0; i < count; ++i) {
      sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  });
  if (pid > 0) wait_child(pid);
}

std::vector<std::string> summaries(const std::string& file, const TunnelPorts& ports) {
  if (!std::filesystem::exists(file)) return {};  // the simulator writes no file for a silent interface
  return summarize_pcap(file, ports);
}

// The ports the scenario's backend encapsulates on (its Backend.Port, else flannel's defaults).
TunnelPorts tunnel_ports(const scenario::Scenario& s) {
  TunnelPorts t;
  if (s.net_conf.port && s.net_conf.backend == scenario::Backend::Vxlan) t.vxlan = *s.net_conf.port;
  if (s.net_conf.port && s.net_conf.backend == scenario::Backend::Udp) t.udp = *s.net_conf.port;
  return t;
}

// The kernel's own IGMPv3 membership reports (to 224.0.0.22, from 0.0.0.0 before the device has an
// address, TTL 1), which it sends unsolicited, at random moments, for the all-hosts group after a
// device comes up. The simulator has no IGMP; these are recognised and counted, not compared.
bool igmp_report(const std::string& line) {
  return line.find(" > 224.0.0.22 ttl 1 ") != std::string::npos && line.ends_with(" proto 2");
}

// Compares two captures of one interface line by line; prints the differences; returns their number.
int compare_captures(const std::string& what, const std::string& sim_file, const std::string& real_file,
                     const TunnelPorts& ports, std::ostream& out) {
  const auto sim = summaries(sim_file, ports);
  auto real = summaries(real_file, ports);
  const auto igmp = std::erase_if(real, igmp_report);
  if (igmp) out << fmt::format("  {}: the kernel also sent {} IGMPv3 report(s) of its own (not modelled)\n", what, igmp);
  int diffs = 0;
  for (std::size_t i = 0; i < std::max(sim.size(), real.size()); ++i) {
    const std::string a = i < sim.size() ? sim[i] : "(no packet)", b = i < real.size() ? real[i] : "(no packet)";
    if (a == b) continue;
    if (++diffs <= 8) out << fmt::format("    DIFFERENT  {} packet {}\n      simulator: {}\n      kernel:    {}\n", what, i + 1, a, b);
  }
  if (diffs > 8) out << fmt::format("    … and {} more differences on {}\n", diffs - 8, what);
  out << fmt::format("  {}: {} packets in the simulator, {} in the kernel: {}\n", what, sim.size(), real.size(),
                     diffs ? fmt::format("{} differ", diffs) : "encapsulation identical");
  if (!diffs && !sim.empty()) out << fmt::format("    e.g. {}\n", sim.front());
  return diffs;
}

}  // namespace

int path_check(const scenario::Scenario& s, const std::vector<PathProbe>& all_probes, const PathCheckOptions& o,
               std::ostream& out) {
  const std::string mode = scenario::backend_name(s.net_conf.backend);
  cluster::Session settled(s, /*keep_log=*/false);  // when the control plane is done, and the pods' addresses
  settled.cluster.converge();
  // The check runs on the scenario's final state: a pair one of whose pods is gone by then (its
  // node left, or it was deleted) is skipped, and said so, rather than reported as a difference.
  std::vector<PathProbe> probes;
  for (const auto& p : all_probes) {
    std::string gone;
    for (const auto& pod : {p.from, p.to})
      if (const auto* st = settled.cluster.pod(pod); !st || !st->running || !st->ip) gone = pod;
    if (gone.empty()) probes.push_back(p);
    else out << fmt::format("{}: path {} -> {}: skipped: pod {} is gone by the end of the scenario, when the check runs\n",
                            mode, p.from, p.to, gone);
  }
  if (probes.empty()) return 0;
  const scenario::Scenario sc = probe_scenario(s, settled.sim.now(), probes, o);
  runner::RunOptions ro;
  ro.pcap_dir = o.pcap_dir + "/sim";
  const runner::RunResult sim = runner::run_mode(sc, s.net_conf.backend, ro);

  std::set<std::string> nodes;  // the underlay NICs the probes cross
  for (const auto& p : probes)
    for (const auto& pod : {p.from, p.to})
      if (const auto* n = s.node_of_pod(pod)) nodes.insert(n->name);
  const std::string real_dir = fmt::format("{}/real/{}", o.pcap_dir, mode);
  std::filesystem::create_directories(real_dir);
  std::map<std::string, std::unique_ptr<LiveCapture>> captures;
  for (const auto& n : nodes)
    captures[n] = std::make_unique<LiveCapture>(o.prefix + n, "eth0", fmt::format("{}/{}-eth0.pcap", real_dir, n));

  int differences = 0;
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const auto& p = probes[i];
    const auto* dst_pod = settled.cluster.pod(p.to);
    if (!dst_pod || !dst_pod->ip) continue;
    const std::string dst = dst_pod->ip->str();
    const ExecResult ping = run_argv({"ip", "netns", "exec", o.prefix + p.from, "ping", "-c", std::to_string(o.pings), "-i",
                                      "0.2", "-W", "1", "-s", std::to_string(p.ping_size), dst});
    const int sink = start_sink(o.prefix + p.to, udp_port(i), o.datagrams);
    send_datagrams(o.prefix + p.from, dst, udp_port(i), o.datagrams);
    const int udp_got = sink > 0 ? std::max(0, wait_child(sink)) : 0;
    const auto& sim_ping = sim.flows[2 * i];
    const auto& sim_udp = sim.flows[2 * i + 1];
    const int real_ping = ping_received(ping.out);
    const bool same = int(sim_ping.packets_delivered) == real_ping && int(sim_udp.packets_delivered) == udp_got;
    differences += !same;
    out << fmt::format("{}: path {} -> {}: echo replies {}/{} simulator, {}/{} kernel; UDP datagrams {}/{} simulator, {}/{} kernel{}\n",
                       mode, p.from, p.to, sim_ping.packets_delivered, o.pings, real_ping, o.pings, sim_udp.packets_delivered,
                       o.datagrams, udp_got, o.datagrams, same ? "" : "  DIFFERENT");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (auto& [node, cap] : captures) {
    cap->finish();
    differences += compare_captures(node + " eth0", fmt::format("{}/sim/{}/{}-eth0.pcap", o.pcap_dir, mode, node),
                                    fmt::format("{}/{}-eth0.pcap", real_dir, node), tunnel_ports(s), out);
  }
  return differences;
}

}  // namespace ol::validate
