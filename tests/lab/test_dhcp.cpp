// dhcp IPAM on the timeline: the CNI dhcp daemon's client in the pod's namespace, the DHCP
// server on the node's bridge, the exchange packet by packet, renewal, rebinding, release, and
// what a pod gets when no server answers.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "lab/walk.h"
#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/wire/dhcp.h"
#include "tests/lab/helpers.h"

namespace ol {

namespace {

using wire::dhcp::MsgType;

scenario::Scenario dhcp_scenario() { return scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/dhcp.json"); }

std::unique_ptr<cluster::Session> recording(scenario::Scenario s, const std::string& pod) {
  return std::make_unique<cluster::Session>(std::move(s), [&](cluster::Cluster& c) { c.record_cni(pod); });
}

const traffic::DhcpLease* lease_of(const cluster::Session& s, const std::string& pod) {
  const cluster::PodState* p = s.cluster.pod(pod);
  const traffic::CniDhcpDaemon* d = s.cluster.dhcp_daemon(p->node);
  for (const auto& [id, l] : d->leases())
    if (id == p->container_id + "/dhcpnet/eth0") return l.get();
  return nullptr;
}

// The steps of each traced DHCP packet, in the order the packets were first seen.
std::vector<std::vector<const TraceEvent*>> dhcp_packets(const cluster::Session& s) {
  std::vector<std::vector<const TraceEvent*>> out;
  std::map<std::uint64_t, std::size_t> at;
  for (const auto& e : s.cluster.dhcp_trace().events) {
    if (e.headers.find("dhcp") == std::string::npos) continue;
    auto [it, fresh] = at.emplace(e.packet, out.size());
    if (fresh) out.emplace_back();
    out[it->second].push_back(&e);
  }
  return out;
}

std::vector<std::string> where(const std::vector<const TraceEvent*>& steps) {
  std::vector<std::string> v;
  for (const auto* e : steps) v.push_back(fmt::format("{} {} {}", e->netns, e->device, e->function));
  return v;
}

std::vector<std::string> log_of(const cluster::Session& s, const std::string& origin, const std::string& node) {
  std::vector<std::string> v;
  for (const auto& e : s.cluster.log())
    if (e.origin == origin && e.node == node && !e.op) v.push_back(e.note);
  return v;
}

}  // namespace

TEST_CASE("dhcp: the pod's address comes from DISCOVER, OFFER, REQUEST, ACK through cni0, packet by packet") {
  auto s = recording(dhcp_scenario(), "pod-a");
  s->cluster.converge();
  const traffic::DhcpLease* l = lease_of(*s, "pod-a");
  REQUIRE(l);
  const wire::MacAddr mac = s->world.netns("pod-a")->dev_by_name("eth0")->mac;
  const auto& x = l->exchanges();
  REQUIRE(x.size() >= 4);
  std::vector<std::pair<bool, MsgType>> kinds;
  for (std::size_t i = 0; i < 4; ++i) kinds.emplace_back(x[i].sent, *x[i].msg.type());
  CHECK(kinds == std::vector<std::pair<bool, MsgType>>{
                     {true, MsgType::Discover}, {false, MsgType::Offer}, {true, MsgType::Request}, {false, MsgType::Ack}});
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(x[i].msg.xid == x[0].msg.xid);  // one transaction
    CHECK(x[i].msg.chaddr == mac);
  }
  // The client id is "containerID/netName/ifName" behind a type byte 0.
  const auto* id = x[0].msg.option(wire::dhcp::kClientId);
  REQUIRE(id);
  CHECK(std::string(id->data.begin() + 1, id->data.end()) == l->client_id());
  CHECK(id->data[0] == 0);
  CHECK(x[1].msg.yiaddr.str() == "10.244.1.10");  // the first of the range, dnsmasq --dhcp-sequential-ip
  CHECK(x[2].msg.addr(wire::dhcp::kRequestedIp)->str() == "10.244.1.10");
  CHECK(x[2].msg.addr(wire::dhcp::kServerId)->str() == "10.244.1.2");
  CHECK(x[3].msg.u32(wire::dhcp::kLeaseTime) == 120u);
  CHECK(x[3].msg.u32(wire::dhcp::kRenewalTime) == 60u);
  CHECK(x[3].msg.u32(wire::dhcp::kRebindingTime) == 105u);

  const auto packets = dhcp_packets(*s);
  REQUIRE(packets.size() >= 4);
  // DISCOVER: a broadcast frame from the packet socket, flooded by cni0 to the server's port and
  // up to the node's own stack (no socket on 67 there), taken by the server's UDP socket.
  CHECK(packets[0].front()->headers == "ipv4 20 | udp 8 | dhcp DISCOVER 328");
  const auto discover = where(packets[0]);
  CHECK(discover.front() == "pod-a eth0 packet_sendmsg");
  CHECK(std::find(discover.begin(), discover.end(), "node-1 veth420ff6d8 br_handle_frame_finish") != discover.end());
  CHECK(std::find(discover.begin(), discover.end(), "node-1 cni0 __udp4_lib_rcv") != discover.end());
  CHECK(discover.back() == "node-1-dhcp  udp_recvmsg");
  CHECK(packets[0][2]->verdict == "flood");
  // OFFER: unicast to the offered address at the client's MAC (dnsmasq wrote that ARP entry), so
  // the bridge forwards it by its FDB; the packet socket takes a copy and IP drops the original.
  const auto offer = where(packets[1]);
  CHECK(offer.front() == "node-1-dhcp  udp_sendmsg");
  CHECK(std::find(offer.begin(), offer.end(), "node-1 dhcpd0 br_fdb_find") != offer.end());
  CHECK(std::find(offer.begin(), offer.end(), "pod-a eth0 packet_rcv") != offer.end());
  CHECK(offer.back() == "pod-a eth0 ip_error");
  CHECK(packets[1].front()->headers.find("dhcp OFFER") != std::string::npos);
  CHECK(packets[2].front()->headers.find("dhcp REQUEST") != std::string::npos);
  CHECK(packets[3].front()->headers.find("dhcp ACK") != std::string::npos);

  // What the bridge plugin did with the result.
  CHECK(s->cluster.pod("pod-a")->ip->str() == "10.244.1.10");
  const auto& calls = *s->cluster.cni_calls("pod-a");
  const auto dhcp = std::find_if(calls.begin(), calls.end(), [](const cni::Invocation& c) { return c.plugin == "dhcp"; });
  REQUIRE(dhcp != calls.end());
  CHECK(dhcp->depth == 1);
  CHECK(dhcp->stdout_json.dump() ==
        R"({"cniVersion":"0.4.0","dns":{},"ips":[{"address":"10.244.1.10/24","gateway":"10.244.1.1","version":"4"}],)"
        R"("routes":[{"dst":"0.0.0.0/0","gw":"10.244.1.1"}]})");
  const auto& cmds = calls[1].commands;
  CHECK(std::find(cmds.begin(), cmds.end(), "ip -n pod-a route add default via 10.244.1.1 dev eth0") != cmds.end());
  CHECK(std::find(cmds.begin(), cmds.end(), "ip -n node-1 addr add 10.244.1.1/24 brd 10.244.1.255 dev cni0") != cmds.end());
  // The second pod got the next address; the server's lease database holds both.
  CHECK(s->cluster.pod("pod-b")->ip->str() == "10.244.1.11");
  const auto& leases = s->cluster.dhcp_server("node-1")->leases();
  REQUIRE(leases.size() == 2);
  CHECK(leases[0].ip.str() == "10.244.1.10");
  CHECK(leases[1].ip.str() == "10.244.1.11");
}

TEST_CASE("dhcp: the first DISCOVER fails (the socket was bound while eth0 was down), the lease is renewed at T1, DEL does not release it") {
  auto sc = dhcp_scenario();
  scenario::Event del;
  del.at = 90 * kNanosPerSecond;
  del.kind = scenario::EventKind::PodDelete;
  del.target = "pod-b";
  sc.events.push_back(del);
  auto s = std::make_unique<cluster::Session>(std::move(sc));
  s->sim.run_until(10 * kNanosPerSecond);
  const traffic::DhcpLease* l = lease_of(*s, "pod-a");
  REQUIRE(l);
  // The daemon binds its packet socket, then sets the link up: the bind left ENETDOWN pending, the
  // first sendto returns it, and the fast retry comes 2 s (±1 s) later.
  const auto daemon = log_of(*s, "CNI dhcp daemon", "node-1");
  REQUIRE(daemon.size() >= 5);
  CHECK(daemon[0] == l->client_id() + ": acquiring lease");
  CHECK(daemon[1] == "Link \"eth0\" down. Attempting to set up");
  CHECK(daemon[2] == "network is down");
  CHECK(daemon[3].starts_with("retrying in "));
  const Nanos first = l->exchanges().front().at;
  CHECK(first >= kNanosPerSecond);
  CHECK(first <= 3 * kNanosPerSecond);
  REQUIRE(l->exchanges().size() == 4);
  CHECK(l->renewal_time() == l->exchanges()[3].at + 60 * kNanosPerSecond);
  s->sim.run_until(l->renewal_time() - kNanosPerMilli);
  CHECK(l->exchanges().size() == 4);
  s->sim.run_until(l->renewal_time() + kNanosPerSecond);
  REQUIRE(l->exchanges().size() == 6);
  const auto& renew = l->exchanges()[4].msg;
  CHECK(*renew.type() == MsgType::Request);
  CHECK(renew.ciaddr.str() == "10.244.1.10");
  CHECK(renew.xid != l->exchanges()[0].msg.xid);  // a new transaction
  CHECK(*l->exchanges()[5].msg.type() == MsgType::Ack);
  CHECK(l->state() == traffic::LeaseState::Bound);
  CHECK(l->renewal_time() > 120 * kNanosPerSecond);
  // pod-b is deleted at 90 s. The bridge plugin (v1.1.1) deletes the veth before it calls IPAM
  // DEL, so the daemon's RELEASE has no link to go out of: the server keeps the lease until it
  // runs out.
  s->sim.run_until(91 * kNanosPerSecond);
  const auto after = log_of(*s, "CNI dhcp daemon", "node-1");
  const std::string b = s->cluster.pod("pod-b")->container_id + "/dhcpnet/eth0";
  CHECK(std::find(after.begin(), after.end(), b + ": failed to release DHCP lease: no such device") != after.end());
  const auto& leases = s->cluster.dhcp_server("node-1")->leases();
  REQUIRE(leases.size() == 2);
  CHECK(leases[1].ip.str() == "10.244.1.11");
  const auto server = log_of(*s, "DHCP server (dnsmasq)", "node-1");
  CHECK(std::none_of(server.begin(), server.end(), [](const std::string& x) { return x.starts_with("DHCPRELEASE"); }));
}

TEST_CASE("dhcp: with no server, the daemon retries (2 s four times, then 8, 16, 32, 64 s) and the ADD fails with no more tries") {
  auto sc = dhcp_scenario();
  sc.nodes[0].dhcp_server.reset();
  sc.nodes[0].no_dhcp_server = true;
  auto s = recording(std::move(sc), "pod-a");
  s->cluster.converge();
  const cluster::PodState* p = s->cluster.pod("pod-a");
  CHECK_FALSE(p->running);
  CHECK(p->error == "plugin type=\"bridge\" failed (add): error calling DHCP.Allocate: no more tries");
  const traffic::DhcpLease* failed = nullptr;
  for (const auto& [id, l] : s->cluster.dhcp_daemon("node-1")->leases()) failed = l.get();
  CHECK(failed == nullptr);  // a failed Allocate keeps no lease
  std::vector<std::string> daemon = log_of(*s, "CNI dhcp daemon", "node-1");
  int timeouts = 0, down = 0;
  std::vector<double> sleeps;
  for (const auto& line : daemon) {
    timeouts += line == "no DHCP packet received within 10s";
    down += line == "network is down";
    if (line.starts_with("retrying in ")) sleeps.push_back(std::stod(line.substr(12)));
  }
  // pod-a and pod-b each: eight tries, the first refused at once (ENETDOWN), seven of 10 s, with the
  // sleeps between them.
  CHECK(down == 2);
  CHECK(timeouts == 14);
  REQUIRE(sleeps.size() == 16);
  const double base[] = {2, 2, 2, 2, 8, 16, 32, 64};
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(std::abs(sleeps[i] - base[i]) <= 1.0);
    CHECK(std::abs(sleeps[8 + i] - base[i]) <= 1.0);
  }
  // The bridge plugin released nothing it had not got, and the veth stays as the plugin left it.
  const auto& calls = *s->cluster.cni_calls("pod-a");
  CHECK(calls[1].stdout_json.dump() == R"({"code":999,"msg":"error calling DHCP.Allocate: no more tries"})");
  // The second pod waited for the first ADD: kubelet's calls for a node are one after another here.
  CHECK_FALSE(s->cluster.pod("pod-b")->running);
  // pod-c on node-2 has its server.
  CHECK(s->cluster.pod("pod-c")->running);
}

TEST_CASE("dhcp: a server gone at T1 makes the client renew until past T2, rebind until past the lease, then set eth0 down") {
  auto s = test::session("dhcp.json");
  s->sim.run_until(10 * kNanosPerSecond);  // both pods have their leases
  cluster::apply_edits(*s, {"ip -n node-1 link set dev dhcpd0 down"});
  s->sim.run_until(600 * kNanosPerSecond);
  const std::vector<std::string> daemon = log_of(*s, "CNI dhcp daemon", "node-1");
  const traffic::DhcpLease* l = lease_of(*s, "pod-a");
  REQUIRE(l);
  CHECK(l->state() == traffic::LeaseState::Expired);
  std::vector<std::string> steps;
  for (const auto& line : daemon)
    if (line.starts_with(l->client_id() + ": ")) steps.push_back(line.substr(l->client_id().size() + 2));
  REQUIRE(steps.size() >= 6);
  CHECK(steps[0] == "acquiring lease");
  CHECK(steps[2] == "renewing lease");
  CHECK(steps[3] == "no more tries");
  CHECK(steps[4] == "renawal time expired, rebinding");
  CHECK(steps[5] == "no more tries");
  CHECK(steps[6] == "lease expired, bringing interface DOWN");
  CHECK_FALSE(s->world.netns("pod-a")->dev_by_name("eth0")->admin_up);
}

}  // namespace ol
