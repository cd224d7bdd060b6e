// The batch runner on two-nodes: the CSV's exact columns, byte-identical output for the same seed,
// and the shape of the three modes (what each costs and why).
#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "models/scenario/load.h"
#include "runner/run.h"

using namespace ol;

namespace {

const scenario::Scenario& two_nodes() {
  static const scenario::Scenario s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  return s;
}

const runner::RunResult& result(scenario::Backend b) {
  static std::map<scenario::Backend, runner::RunResult> cache;
  auto it = cache.find(b);
  if (it == cache.end()) it = cache.emplace(b, runner::run_mode(two_nodes(), b, {})).first;
  return it->second;
}

const runner::FlowRow& tcp(scenario::Backend b) { return result(b).flows.at(1); }
const runner::FlowRow& ping(scenario::Backend b) { return result(b).flows.at(0); }

}  // namespace

TEST_CASE("the flow CSV has the documented columns, one row per flow") {
  const std::string csv = runner::flows_csv(result(scenario::Backend::Vxlan).flows);
  CHECK_THAT(csv, Catch::StartsWith(
                      "scenario,mode,source,seed,flow,src_pod,dst_pod,proto,payload_bytes,mtu,packets_sent,packets_delivered,"
                      "drops,throughput_gbps,goodput_gbps,rtt_p50_us,rtt_p99_us,one_way_p50_us,cpu_ns_per_packet_tx_node,"
                      "cpu_ns_per_packet_rx_node,crossings_per_packet,overhead_bytes_per_packet\n"
                      "two-nodes,vxlan,sim,1,0,pod-a,pod-c,icmp,56,1450,20,20,0,"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK_THAT(runner::steps_csv(result(scenario::Backend::Vxlan).steps),
             Catch::StartsWith("scenario,mode,seed,flow,role,node,step,calls,ns_total,ns_per_packet\n"));
}

TEST_CASE("the same scenario and seed give byte-identical CSV - another seed changes only what randomness touches") {
  const auto again = runner::run_mode(two_nodes(), scenario::Backend::Vxlan, {});
  CHECK(runner::flows_csv(again.flows) == runner::flows_csv(result(scenario::Backend::Vxlan).flows));
  CHECK(runner::steps_csv(again.steps) == runner::steps_csv(result(scenario::Backend::Vxlan).steps));
  const auto other = runner::run_mode(two_nodes(), scenario::Backend::Vxlan, {.seed = 2});
  const auto& a = result(scenario::Backend::Vxlan).flows[1];
  const auto& b = other.flows[1];
  CHECK(b.seed == 2);
  CHECK(b.mtu == a.mtu);  // the configuration does not depend on the seed
  CHECK(b.packets_delivered > 0);
}

TEST_CASE("host-gw: TCP fills the 10 Gbit/s link, no crossings, no overhead") {
  const auto& r = tcp(scenario::Backend::HostGw);
  CHECK(r.proto == "tcp");
  CHECK(r.mtu == 1500);
  CHECK(r.payload_bytes == 1448);  // 1500 - 20 - 20 - the 12-byte timestamp option
  CHECK(r.throughput_gbps > 9.0);
  CHECK(r.throughput_gbps < 10.0);
  CHECK(r.crossings_per_packet == 0);
  CHECK(r.overhead_bytes_per_packet == 0);
}

TEST_CASE("vxlan: close behind host-gw, 50 bytes more per packet, still no crossings") {
  const auto& r = tcp(scenario::Backend::Vxlan);
  CHECK(r.mtu == 1450);
  CHECK(r.throughput_gbps > 0.6 * tcp(scenario::Backend::HostGw).throughput_gbps);
  CHECK(r.throughput_gbps < tcp(scenario::Backend::HostGw).throughput_gbps);
  CHECK(r.crossings_per_packet == 0);
  CHECK(r.overhead_bytes_per_packet == 50);
}

TEST_CASE("udp: every segment crosses to the proxy and back - throughput collapses, RTT grows, CPU per packet soars") {
  const auto& u = tcp(scenario::Backend::Udp);
  const auto& h = tcp(scenario::Backend::HostGw);
  CHECK(u.mtu == 1472);
  CHECK(u.throughput_gbps < 0.3 * h.throughput_gbps);  // CUBIC keeps 70 % of its window at each ring overflow
  CHECK(u.crossings_per_packet > 4.0);  // 4 per data segment, plus the ACKs' own trips through the proxy
  CHECK(u.cpu_ns_per_packet_rx_node > 10 * h.cpu_ns_per_packet_rx_node);
  CHECK(u.overhead_bytes_per_packet == 28);
  CHECK(ping(scenario::Backend::Udp).crossings_per_packet == 8);  // an echo: 4 there, 4 back
  CHECK(ping(scenario::Backend::Udp).rtt_p50_us > 2 * ping(scenario::Backend::HostGw).rtt_p50_us);
  bool proxy_steps = false;
  for (const auto& s : result(scenario::Backend::Udp).steps)
    proxy_steps |= s.flow == 1 && s.role == "rx" && s.step == "tun_get_user" && s.calls > 0;
  CHECK(proxy_steps);  // the per-step CSV says where the time went
}

TEST_CASE("without offloads every packet is MSS-sized and host-gw becomes CPU-bound") {
  const auto off = runner::run_mode(two_nodes(), scenario::Backend::HostGw, {.offloads = false});
  CHECK(off.flows[1].throughput_gbps < 0.8 * tcp(scenario::Backend::HostGw).throughput_gbps);
  CHECK(off.flows[1].cpu_ns_per_packet_rx_node > 5 * tcp(scenario::Backend::HostGw).cpu_ns_per_packet_rx_node);
}

TEST_CASE("GSO can be switched off per device: a burst is cut up where it meets the device") {
  auto tcp_only = [](std::vector<std::string> gso_off) {
    scenario::Scenario s = two_nodes();
    s.gso_off = std::move(gso_off);
    s.workloads.erase(s.workloads.begin());  // the TCP flow alone
    return runner::run_mode(s, scenario::Backend::Vxlan, {});
  };
  auto calls = [](const runner::RunResult& r, const char* role, const char* step) {
    for (const auto& s : r.steps)
      if (s.role == role && s.step == step) return s.calls;
    return std::uint64_t(0);
  };
  // Per segment delivered: cut up, a burst costs the device one call per segment, not one in all
  // (and fewer segments get through in the time, as the cores do more work).
  auto per_segment = [&](const runner::RunResult& r, const char* role, const char* step) {
    return double(calls(r, role, step)) / double(r.flows[0].packets_delivered);
  };
  const auto on = tcp_only({});
  // Off on flannel.1: node-1 cuts the inner burst before encapsulating each segment.
  const auto vtep_off = tcp_only({"flannel.1"});
  CHECK(calls(on, "tx", "skb_gso_segment") == 0);
  CHECK(calls(vtep_off, "tx", "skb_gso_segment") > 0);
  CHECK(per_segment(on, "tx", "vxlan_xmit") < 0.1);
  CHECK(per_segment(vtep_off, "tx", "vxlan_xmit") > 0.9);
  // Off on the switch port towards node-2: the encapsulated burst is cut there, outer headers and
  // all; node-2 decapsulates every segment, and the data still arrives.
  const auto port_off = tcp_only({"sw-node-2"});
  CHECK(per_segment(on, "rx", "vxlan_rcv") < 0.1);
  CHECK(per_segment(port_off, "rx", "vxlan_rcv") > 0.9);
  CHECK(port_off.flows[0].packets_delivered > 100000);
  CHECK(port_off.flows[0].drops * 100 < port_off.flows[0].packets_sent);
}

TEST_CASE("lab mode: every namespace works on the one machine's cores, the underlay switch included, processes on a free core") {
  scenario::Scenario s = two_nodes();
  scenario::Workload flood;
  flood.type = "udp";
  flood.from = "pod-a";
  flood.to = "pod-c";
  flood.size = 64;
  flood.at = kNanosPerSecond;
  flood.duration = 20 * kNanosPerMilli;
  s.workloads = {flood};
  auto run = [&](int lab_cores) {
    runner::RunOptions o;
    o.veth_wires = true;
    o.lab_cores = lab_cores;
    return runner::run_mode(s, scenario::Backend::HostGw, o);
  };
  auto calls = [](const runner::RunResult& r, const std::string& step) {
    std::uint64_t n = 0;
    for (const auto& row : r.steps) n += row.step == step ? row.calls : 0;
    return double(n) / double(r.flows.at(0).packets_delivered);
  };
  const auto cluster = run(0), two = run(2), one = run(1);
  // The cluster's nodes each have their own cores and the switch is hardware: one frame received
  // by a bridge port per packet (cni0 on the sending node; the receiving node's cni0 transmits,
  // br_dev_xmit). The lab's switch is a bridge in a namespace on the machine: two.
  CHECK(calls(cluster, "br_handle_frame") == Approx(1).epsilon(0.01));
  CHECK(calls(two, "br_handle_frame") == Approx(2).epsilon(0.01));
  for (const auto& row : two.steps) {
    CHECK(row.node == "this machine");
    CHECK(row.role == "tx");  // one machine: its steps once, not once per end
  }
  CHECK(two.flows[0].cpu_ns_per_packet_tx_node == two.flows[0].cpu_ns_per_packet_rx_node);
  // On one core the receiver's recvmsg competes with the sender and the whole path; on two it runs
  // beside them (the scheduler puts a waking process on the core that is free).
  CHECK(one.flows[0].packets_delivered < 0.9 * two.flows[0].packets_delivered);
  // The sender never sleeps, so it keeps its core, and the softirq work its sends raise runs there
  // too: everything but the receiver's turns fills that one core for the flood's 20 ms, no more.
  double sender_ns = 0;
  for (const auto& row : two.steps) {
    const bool receiver = row.step == "wakeup" || row.step == "udp_recvmsg" || row.step == "copy_to_user";
    // The system calls and the generator's work: one per datagram sent and one per datagram received.
    const bool halves = row.step == "syscall" || row.step == "app_work";
    sender_ns += receiver ? 0 : halves ? row.ns_total / 2 : row.ns_total;
  }
  CHECK(sender_ns > 0.9 * double(flood.duration));
  CHECK(sender_ns < 1.01 * double(flood.duration));
}
