#include "validate/measure.h"

#include <chrono>
#include <fstream>
#include <future>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/userspace/flow_stats.h"
#include "models/userspace/tcp_flow.h"
#include "validate/exec.h"

namespace ol::validate {

namespace {

constexpr int kUdpSmall = 64, kUdpMid = 512, kUdpLarge = 1400;
constexpr int kIperfPort = 5201;
constexpr Nanos kPingInterval = kNanosPerMilli;  // at 5 ms the idle CPU's wake-up made the RTT vary 3×
constexpr Nanos kSimFlood = 50 * kNanosPerMilli;
constexpr Nanos kSimTcp = kNanosPerSecond;  // long enough that a retransmission timeout (200 ms at least) is not the whole flow
// Between the simulated phases: long enough for the last one's queues to drain (a udp-mode TCP
// flow leaves up to 500 packets in flannel0's queue, 12 ms of the proxy's work), so the next
// one's first packet (a SYN) is not lost to them and retried a second later. The kernel's phases
// are separate iperf3 runs, seconds apart.
constexpr Nanos kPhaseGap = 200 * kNanosPerMilli;

bool across_nodes(const scenario::Scenario& s, const std::string& a, const std::string& b) {
  const auto *na = s.node_of_pod(a), *nb = s.node_of_pod(b);
  return na && nb && na != nb;
}

std::vector<std::string> in_pod(const std::string& prefix, const std::string& pod, std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"ip", "netns", "exec", prefix + pod});
  return argv;
}

// iperf3's client for `secs` seconds, with `timeout` guarding against a hang all the same.
std::vector<std::string> iperf3_client(const std::string& dst, int secs, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {"timeout", std::to_string(secs + 15), "iperf3", "-c", dst, "-p", std::to_string(kIperfPort),
                                   "-t", std::to_string(secs)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// iperf3's -J report, or a runtime_error naming `what` and iperf3's error (else what it printed).
nlohmann::json iperf3_report(const ExecResult& r, const std::string& what) {
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  if (r.status != 0 || j.is_discarded() || j.contains("error"))
    throw std::runtime_error(fmt::format("{}: {}", what, j.is_object() && j.contains("error") ? j["error"].dump() : r.err + r.out.substr(0, 300)));
  return j;
}

nlohmann::json iperf3(const MeasurePlan& p, const std::string& prefix, const std::string& dst, std::vector<std::string> extra) {
  const int server = start_iperf3_server(prefix + p.to, p.to, kIperfPort, {});
  // iperf3 takes whole seconds (-t 0 would run forever).
  const int secs = std::max(1, int(p.seconds + 0.5));
  std::vector<std::string> args = {"-J"};
  args.insert(args.end(), extra.begin(), extra.end());
  const ExecResult r = run_argv(in_pod(prefix, p.from, iperf3_client(dst, secs, args)));
  stop_background(server);
  return iperf3_report(r, fmt::format("iperf3 {} in {}", fmt::join(extra, " "), p.from));
}

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  for (char& c : line)
    if (c == '\t') c = ' ';
  return line;
}

}  // namespace

std::vector<std::string> tcp_as_modelled() { return {"-C", "cubic"}; }

std::string use_linux_tcp_defaults(const std::vector<std::string>& namespaces) {
  const std::string rmem = fmt::format("4096 {} {}", traffic::TcpFlow::kRcvBufDefault, traffic::TcpFlow::kRcvBuf);
  const std::string wmem = "4096 16384 4194304";
  for (const auto& ns : namespaces) {
    const ExecResult r = run_argv({"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.tcp_rmem=" + rmem, "net.ipv4.tcp_wmem=" + wmem});
    if (r.status != 0) throw std::runtime_error(fmt::format("setting tcp_rmem and tcp_wmem in {}: {}", ns, r.err));
  }
  return fmt::format("TCP as the model runs it (Linux's defaults): cubic, tcp_rmem \"{}\", tcp_wmem \"{}\"; this machine's: {}, \"{}\", \"{}\"",
                     rmem, wmem, first_line("/proc/sys/net/ipv4/tcp_congestion_control"), first_line("/proc/sys/net/ipv4/tcp_rmem"),
                     first_line("/proc/sys/net/ipv4/tcp_wmem"));
}

namespace {

runner::FlowRow row_of(const scenario::Scenario& s, const MeasurePlan& p, int flow, const std::string& proto, int payload) {
  runner::FlowRow r;
  r.scenario = s.name;
  r.mode = scenario::backend_name(s.net_conf.backend);
  r.source = "real";
  r.seed = s.seed;
  r.flow = flow;
  r.src_pod = p.from;
  r.dst_pod = p.to;
  r.proto = proto;
  r.payload_bytes = payload;
  r.cpu_ns_per_packet_tx_node = r.cpu_ns_per_packet_rx_node = r.crossings_per_packet = -1;
  r.overhead_bytes_per_packet = runner::overhead_of(s.net_conf.backend);
  return r;
}

runner::FlowRow measure_ping(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix, const std::string& dst) {
  const ExecResult r = run_argv(in_pod(prefix, p.from, {"ping", "-w", std::to_string(p.pings / 500 + 10), "-c", std::to_string(p.pings), "-i",
                                                        fmt::format("{:.3f}", double(kPingInterval) / 1e9), "-s", "56", dst}));
  std::vector<Nanos> rtts;
  for (std::size_t at = r.out.find("time="); at != std::string::npos; at = r.out.find("time=", at + 1))
    rtts.push_back(Nanos(std::atof(r.out.c_str() + at + 5) * 1e6));  // "time=0.036 ms"
  runner::FlowRow row = row_of(s, p, 0, "icmp", 56);
  row.packets_sent = std::uint64_t(p.pings);
  row.packets_delivered = rtts.size();
  row.drops = row.packets_sent - std::min(row.packets_sent, row.packets_delivered);
  row.throughput_gbps = row.goodput_gbps = 0;
  row.rtt_p50_us = traffic::percentile(rtts, 50) / 1000.0;
  row.rtt_p99_us = traffic::percentile(rtts, 99) / 1000.0;
  row.one_way_p50_us = -1;
  return row;
}

// A ping while an iperf3 TCP transfer runs between the same pods (it starts half a second before).
// The transfer's own report is checked: a ping with no load under it would pass for an idle one.
runner::FlowRow measure_ping_under_load(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix,
                                        const std::string& dst) {
  const int server = start_iperf3_server(prefix + p.to, p.to, kIperfPort, {});
  const int secs = std::max(2, int(double(p.pings) * double(kPingInterval) / 1e9 + 2));
  std::vector<std::string> args = tcp_as_modelled();
  args.push_back("-J");
  auto client = std::async(std::launch::async, [&] { return run_argv(in_pod(prefix, p.from, iperf3_client(dst, secs, args))); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  runner::FlowRow row;
  try {
    row = measure_ping(s, p, prefix, dst);
  } catch (...) {
    client.wait();
    stop_background(server);
    throw;
  }
  const ExecResult r = client.get();
  stop_background(server);
  const std::string what = fmt::format("the TCP transfer under the ping ({})", p.from);
  const nlohmann::json j = iperf3_report(r, what);
  const double gbps = j.value("end", nlohmann::json::object()).value("sum_received", nlohmann::json::object()).value("bits_per_second", 0.0) / 1e9;
  if (gbps <= 0) throw std::runtime_error(what + ": iperf3 reported no data received");
  row.flow = 10;
  row.goodput_gbps = gbps;  // the load the ping ran under
  return row;
}

runner::FlowRow measure_udp(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix, const std::string& dst,
                            int flow, int size) {
  const auto j = iperf3(p, prefix, dst, {"-u", "-b", "0", "-l", std::to_string(size)});
  const auto& sum = j.at("end").at("sum");
  runner::FlowRow row = row_of(s, p, flow, "udp", size);
  const double secs = sum.at("seconds").get<double>();
  row.packets_sent = sum.at("packets").get<std::uint64_t>();
  row.drops = sum.at("lost_packets").get<std::uint64_t>();
  row.packets_delivered = row.packets_sent - std::min(row.packets_sent, row.drops);
  const double pps = secs > 0 ? double(row.packets_delivered) / secs : 0;
  row.goodput_gbps = pps * size * 8 / 1e9;
  row.throughput_gbps = pps * (size + 28) * 8 / 1e9;
  row.rtt_p50_us = row.rtt_p99_us = row.one_way_p50_us = -1;
  return row;
}

runner::FlowRow measure_tcp(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix, const std::string& dst,
                            int mtu, int flow = 3, int parallel = 1) {
  std::vector<std::string> args = tcp_as_modelled();
  args.insert(args.end(), {"-P", std::to_string(parallel)});
  const auto j = iperf3(p, prefix, dst, args);
  const auto& recv = j.at("end").at("sum_received");
  runner::FlowRow row = row_of(s, p, flow, "tcp", mtu - 52);  // Linux's MSS with TCP timestamps
  row.goodput_gbps = recv.at("bits_per_second").get<double>() / 1e9;
  row.throughput_gbps = row.goodput_gbps * mtu / (mtu - 52);
  const double bytes = recv.at("bytes").get<double>();
  row.packets_delivered = row.packets_sent = std::uint64_t(bytes / (mtu - 52));
  if (j.at("end").contains("sum_sent")) row.drops = j["end"]["sum_sent"].value("retransmits", 0);
  row.rtt_p50_us = row.rtt_p99_us = row.one_way_p50_us = -1;
  return row;
}

}  // namespace

int start_iperf3_server(const std::string& netns, const std::string& name, int port, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {"ip", "netns", "exec", netns, "iperf3", "-s", "-1", "-p", std::to_string(port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const int pid = spawn_background(argv);
  for (int i = 0; i < 60; ++i) {  // iperf3 listens on an IPv6 socket that takes IPv4 too: ask ss
    if (!run_argv({"ip", "netns", "exec", netns, "ss", "-Hltn", "sport", "=", fmt::format(":{}", port)}).out.empty()) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop_background(pid);
  throw std::runtime_error(fmt::format("iperf3 -s in {} did not start listening", name));
}

MeasurePlan plan_of(const scenario::Scenario& s, int seconds) {
  MeasurePlan p;
  p.seconds = seconds;
  for (const auto& w : s.workloads)
    if ((w.type == "tcp" || w.type == "ping") && across_nodes(s, w.from, w.to)) {
      p.from = w.from, p.to = w.to;
      return p;
    }
  for (const auto& a : s.nodes)
    for (const auto& b : s.nodes)
      if (&a != &b && !a.pods.empty() && !b.pods.empty() && !a.joins_at && !b.joins_at) {
        p.from = a.pods.front(), p.to = b.pods.front();
        return p;
      }
  throw std::invalid_argument(s.file + ": $.nodes: no two nodes with pods to measure between\n    fix: give two nodes a pod each");
}

scenario::Scenario plan_scenario(const scenario::Scenario& s, const MeasurePlan& p, Nanos at) {
  scenario::Scenario sc = s;
  sc.workloads.clear();
  const Nanos gap = kPhaseGap;
  Nanos t = at;
  sc.workloads.push_back({.type = "ping", .from = p.from, .to = p.to, .at = t, .count = p.pings, .interval = kPingInterval, .size = 56});
  t += Nanos(p.pings) * kPingInterval + gap;
  for (int size : {kUdpSmall, kUdpLarge}) {  // each on its own port, as each iperf3 run has its own socket
    sc.workloads.push_back({.type = "udp", .from = p.from, .to = p.to, .at = t, .size = size, .duration = kSimFlood, .rate_pps = 0,
                            .port = std::uint16_t(size == kUdpSmall ? 5201 : 5202)});
    t += kSimFlood + gap;
  }
  sc.workloads.push_back({.type = "tcp", .from = p.from, .to = p.to, .at = t, .duration = kSimTcp, .port = 5203});
  return sc;
}

std::vector<runner::FlowRow> measure_real(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix,
                                          const std::string& dst, int mtu, std::ostream& log) {
  std::vector<runner::FlowRow> rows;
  const std::string mode = scenario::backend_name(s.net_conf.backend);
  log << fmt::format("{}: measuring {} -> {} ({}): ping ×{}, iperf3 UDP 64 B and 1400 B, TCP, {} s each\n", mode, p.from, p.to,
                     dst, p.pings, p.seconds);
  rows.push_back(measure_ping(s, p, prefix, dst));
  rows.push_back(measure_udp(s, p, prefix, dst, 1, kUdpSmall));
  rows.push_back(measure_udp(s, p, prefix, dst, 2, kUdpLarge));
  rows.push_back(measure_tcp(s, p, prefix, dst, mtu));
  for (auto& r : rows) r.mtu = mtu;
  return rows;
}

scenario::Scenario plan_out_of_sample(const scenario::Scenario& s, const MeasurePlan& p, Nanos at) {
  scenario::Scenario sc = s;
  sc.workloads.clear();
  const Nanos gap = kPhaseGap;
  Nanos t = at;
  sc.workloads.push_back({.type = "udp", .from = p.from, .to = p.to, .at = t, .size = kUdpMid, .duration = kSimFlood, .rate_pps = 0,
                          .port = 5204});
  t += kSimFlood + gap;
  for (int i = 0; i < 4; ++i)
    sc.workloads.push_back({.type = "tcp", .from = p.from, .to = p.to, .at = t, .duration = kSimTcp, .port = std::uint16_t(5205 + i)});
  t += kSimTcp + gap;
  sc.workloads.push_back({.type = "tcp", .from = p.from, .to = p.to, .at = t, .duration = kSimTcp, .port = 5209});
  sc.workloads.push_back({.type = "ping", .from = p.from, .to = p.to, .at = t + kSimTcp / 5, .count = p.pings / 2,
                          .interval = kPingInterval, .size = 56});
  return sc;
}

std::vector<runner::FlowRow> measure_out_of_sample(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix,
                                                   const std::string& dst, int mtu, std::ostream& log) {
  log << fmt::format("{}: out of sample: iperf3 UDP 512 B, TCP with 4 flows, ping under a TCP flow\n",
                     scenario::backend_name(s.net_conf.backend));
  std::vector<runner::FlowRow> rows;
  rows.push_back(measure_udp(s, p, prefix, dst, 4, kUdpMid));
  rows.push_back(measure_tcp(s, p, prefix, dst, mtu, 5, 4));
  rows.push_back(measure_ping_under_load(s, p, prefix, dst));
  for (auto& r : rows) r.mtu = mtu;
  return rows;
}

scenario::Scenario with_underlay_mtu(scenario::Scenario s, int mtu) {
  for (auto& n : s.nodes) n.mtu = mtu;
  return s;
}

scenario::Scenario plan_jumbo(const scenario::Scenario& s, const MeasurePlan& p, Nanos at) {
  scenario::Scenario sc = s;
  sc.workloads = {{.type = "tcp", .from = p.from, .to = p.to, .at = at, .duration = kSimTcp, .port = 5210}};
  return sc;
}

runner::FlowRow measure_jumbo(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix, const std::string& dst,
                              int mtu, std::ostream& log) {
  log << fmt::format("{}: out of sample: iperf3 TCP over a {}-byte underlay (pods' MTU {})\n", scenario::backend_name(s.net_conf.backend),
                     kJumboMtu, mtu);
  runner::FlowRow row = measure_tcp(s, p, prefix, dst, mtu, 11);
  row.mtu = mtu;
  return row;
}

double packets_per_second(const runner::FlowRow& r) {
  return r.payload_bytes > 0 ? r.goodput_gbps * 1e9 / 8 / r.payload_bytes : 0;
}

}  // namespace ol::validate
