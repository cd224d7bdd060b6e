#include "lab/narration.h"

#include <algorithm>
#include <utility>

namespace ol::cluster {

namespace {

// Where a step stands in the story, whatever the mode; each mode's workflow uses some of them.
enum class Role { None, PodSends, BridgeUp, BridgeLocal, Route, NeighVtep, FdbVtep, TunUser, Underlay, PeerUser, Decap, PeerRoutes, PodReceives };

using Story = std::vector<std::pair<Role, const char*>>;

// The stages every cross-node story shares: the first two and the last two.
constexpr std::pair<Role, const char*> kPodSends{
    Role::PodSends, "the pod sends: its route leads via cni0's address out of its eth0, one end of a veth pair"};
constexpr std::pair<Role, const char*> kBridgeUp{
    Role::BridgeUp, "cni0 (a Linux bridge) takes the frame from the pod's veth up to the node's IP stack"};
constexpr std::pair<Role, const char*> kPeerRoutes{
    Role::PeerRoutes, "the peer node routes it to its cni0, which hands it to the destination pod's veth"};
constexpr std::pair<Role, const char*> kPodReceives{Role::PodReceives, "the destination pod receives it on its eth0"};

const Story& story(flannel::Backend mode, bool same_node) {
  static const Story local = {
      kPodSends,
      {Role::BridgeLocal, "cni0 (a Linux bridge) forwards the frame from one pod's veth to the other's: same node, no routing, "
                          "no encapsulation"},
      kPodReceives};
  static const Story host_gw = {
      kPodSends, kBridgeUp,
      {Role::Route, "the route flanneld wrote sends the peer's pod subnet via the peer node's own address, out of eth0"},
      {Role::Underlay, "over the underlay as it is, no encapsulation: the peer node must share the L2 segment"},
      kPeerRoutes, kPodReceives};
  static const Story udp = {
      kPodSends, kBridgeUp,
      {Role::Route, "the route to the pod network hands it to flannel0, a TUN device"},
      {Role::TunUser, "flanneld reads it from /dev/net/tun in user space and looks the peer node up in its route list"},
      {Role::Underlay, "flanneld sends it in a UDP datagram (port 8285, 28 bytes more) to the peer's flanneld, over the underlay"},
      {Role::PeerUser, "the peer's flanneld reads the datagram and writes the packet to its flannel0: back into the kernel"},
      kPeerRoutes, kPodReceives};
  static const Story vxlan = {
      kPodSends, kBridgeUp,
      {Role::Route, "the route flanneld wrote: the peer's pod subnet via the peer's VTEP address (the subnet's .0) on "
                    "flannel.1, onlink"},
      {Role::NeighVtep, "the permanent neighbour entry flanneld wrote gives the peer VTEP's MAC: no ARP"},
      {Role::FdbVtep, "the FDB entry flanneld wrote sends that MAC to the peer node's underlay address"},
      {Role::Underlay, "encapsulated in the kernel (outer IP, UDP port 8472, VXLAN header with the VNI, inner Ethernet: 50 "
                       "bytes) and sent to the peer node over the underlay"},
      {Role::Decap, "the peer's kernel hands UDP port 8472 to its flannel.1, which strips the outer headers"},
      kPeerRoutes, kPodReceives};
  if (same_node) return local;
  switch (mode) {
    case flannel::Backend::HostGw: return host_gw;
    case flannel::Backend::Udp: return udp;
    case flannel::Backend::Vxlan: return vxlan;
  }
  return vxlan;
}

bool has(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

struct Leg {
  std::string from_pod, to_pod, from_node, to_node;
};

// The route step on the sending node: the pod route that takes the packet to its tunnel (or, for
// host-gw, via the peer node); the encapsulated packet's own route to the underlay is not it.
bool pod_route(const TraceEvent& e) {
  const std::string& what = e.function == "fib_lookup" ? e.entry : e.verdict;
  if (has(what, "dev flannel") || has(what, "out flannel")) return true;
  return e.function == "fib_lookup" ? has(what, " via ") && has(what, "dev eth0") : has(what, "out eth0");
}

Role on_sender(const TraceEvent& e) {
  const std::string& f = e.function;
  if (f == "vxlan_xmit") return Role::FdbVtep;
  if (f == "neigh_resolve_output" && e.device.starts_with("flannel.")) return Role::NeighVtep;
  if (f == "tun_do_read" || f == "find_route" || e.crossing == "kernel->user") return Role::TunUser;
  if (f == "vxlan_xmit_one" || f == "udp_sendmsg") return Role::Underlay;
  if (f == "tun_net_xmit") return Role::Route;
  if ((f == "fib_lookup" || f == "ip_forward") && e.device != "eth0") return pod_route(e) ? Role::Route : Role::Underlay;
  if (e.device == "eth0") return Role::Underlay;
  return Role::BridgeUp;
}

Role on_receiver(const TraceEvent& e) {
  const std::string& f = e.function;
  if (f == "vxlan_rcv") return Role::Decap;
  if (f == "udp_recvmsg" || f == "tun_get_user") return Role::PeerUser;
  // Arriving on eth0 is still the underlay's, up to the lookup that finds the outer packet local;
  // a lookup that forwards it (host-gw) is the peer's own routing.
  const bool routes_on = (f == "fib_lookup" && !e.entry.starts_with("local ")) || f == "ip_forward";
  if (e.device == "eth0" && !routes_on) return Role::Underlay;
  return Role::PeerRoutes;
}

Role classify(const TraceEvent& e, const Leg& leg) {
  if (e.netns != e.node) return e.netns == leg.from_pod ? Role::PodSends : e.netns == leg.to_pod ? Role::PodReceives : Role::None;
  if (leg.from_node == leg.to_node) return e.node == leg.from_node ? Role::BridgeLocal : Role::None;
  if (e.node == leg.from_node) return on_sender(e);
  if (e.node == leg.to_node) return on_receiver(e);
  return Role::Underlay;  // a switch or a router between the nodes
}

// Tags steps [begin, end) of one leg; the stage only moves forward.
void tag_leg(const WalkResult& r, std::size_t begin, std::size_t end, const Leg& leg, const Story& st, Narration& out) {
  int current = -1;
  for (std::size_t i = begin; i < end; ++i) {
    const Role role = classify(r.steps[i], leg);
    auto it = std::find_if(st.begin(), st.end(), [&](const auto& s) { return s.first == role; });
    if (it != st.end()) current = std::max(current, int(it - st.begin()));
    out.step_stage[i] = current;
  }
}

}  // namespace

std::vector<std::string> workflow(flannel::Backend mode, bool same_node) {
  std::vector<std::string> out;
  for (const auto& s : story(mode, same_node)) out.emplace_back(s.second);
  return out;
}

Narration narrate(const WalkResult& r, flannel::Backend mode) {
  const bool same_node = r.from_node == r.to_node;
  const Story& st = story(mode, same_node);
  Narration n{workflow(mode, same_node), std::vector<int>(r.steps.size(), -1)};
  tag_leg(r, 0, r.request_steps, {r.from_pod, r.to_pod, r.from_node, r.to_node}, st, n);
  // The echo reply travels the same story the other way; an ICMP error is not narrated.
  if (r.delivered && r.request_steps < r.steps.size())
    tag_leg(r, r.request_steps, r.steps.size(), {r.to_pod, r.from_pod, r.to_node, r.from_node}, st, n);
  return n;
}

}  // namespace ol::cluster
