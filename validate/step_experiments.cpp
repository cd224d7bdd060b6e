#include "validate/step_experiments.h"

#include <stdexcept>

namespace ol::validate {

namespace {

wire::Ipv4Addr ip(const char* s) { return *wire::Ipv4Addr::parse(s); }

// Two namespaces on one veth pair: the least a packet between namespaces goes through.
constexpr const char* kVeth = R"(ip netns add a
ip netns add b
ip -n a link set dev lo up
ip -n b link set dev lo up
ip -n a link add eth0 address 02:00:00:00:00:0a mtu 9000 type veth peer name eth0 address 02:00:00:00:00:0b mtu 9000 netns b
ip -n a addr add 10.99.0.1/24 dev eth0
ip -n b addr add 10.99.0.2/24 dev eth0
ip -n a link set dev eth0 up
ip -n b link set dev eth0 up
)";

// The same two namespaces, each on a port of a bridge in a third: one more veth hop and the
// bridge's forwarding (br_handle_frame), as a node's cni0 adds between its pods.
constexpr const char* kBridge = R"(ip netns add a
ip netns add b
ip netns add s
ip -n a link set dev lo up
ip -n b link set dev lo up
ip -n s link add br0 address 02:00:00:00:ff:ff mtu 9000 type bridge
ip -n s link set dev br0 up
ip -n s link add sw-a address 02:00:00:00:ff:01 mtu 9000 type veth peer name eth0 address 02:00:00:00:00:0a mtu 9000 netns a
ip -n s link add sw-b address 02:00:00:00:ff:02 mtu 9000 type veth peer name eth0 address 02:00:00:00:00:0b mtu 9000 netns b
ip -n s link set dev sw-a master br0 up
ip -n s link set dev sw-b master br0 up
ip -n a addr add 10.99.0.1/24 dev eth0
ip -n b addr add 10.99.0.2/24 dev eth0
ip -n a link set dev eth0 up
ip -n b link set dev eth0 up
)";

// A router namespace between them: one more veth hop and ip_forward, as a host-gw node adds.
constexpr const char* kForward = R"(ip netns add a
ip netns add b
ip netns add r
ip -n a link set dev lo up
ip -n b link set dev lo up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip -n r link add ra address 02:00:00:00:01:01 mtu 9000 type veth peer name eth0 address 02:00:00:00:00:0a mtu 9000 netns a
ip -n r link add rb address 02:00:00:00:02:01 mtu 9000 type veth peer name eth0 address 02:00:00:00:00:0b mtu 9000 netns b
ip -n r addr add 10.99.1.1/24 dev ra
ip -n r addr add 10.99.2.1/24 dev rb
ip -n r link set dev ra up
ip -n r link set dev rb up
ip -n a addr add 10.99.1.2/24 dev eth0
ip -n b addr add 10.99.2.2/24 dev eth0
ip -n a link set dev eth0 up
ip -n b link set dev eth0 up
ip -n a route add default via 10.99.1.1 dev eth0
ip -n b route add default via 10.99.2.1 dev eth0
)";

// VXLAN over the veth pair (kVeth's lines first), programmed as flanneld's vxlan backend does: no
// learning, a permanent neighbour and FDB entry for the peer. Encapsulation and decapsulation added.
constexpr const char* kVxlanOverVeth = R"(ip -n a link add vxlan0 address 0a:aa:aa:aa:aa:01 mtu 8950 type vxlan id 1 local 10.99.0.1 dev eth0 nolearning
ip -n b link add vxlan0 address 0a:bb:bb:bb:bb:02 mtu 8950 type vxlan id 1 local 10.99.0.2 dev eth0 nolearning
ip -n a addr add 10.98.0.1/24 dev vxlan0
ip -n b addr add 10.98.0.2/24 dev vxlan0
ip -n a link set dev vxlan0 up
ip -n b link set dev vxlan0 up
ip -n a neigh replace 10.98.0.2 lladdr 0a:bb:bb:bb:bb:02 dev vxlan0 nud permanent
ip -n b neigh replace 10.98.0.1 lladdr 0a:aa:aa:aa:aa:01 dev vxlan0 nud permanent
bridge -n a fdb append 0a:bb:bb:bb:bb:02 dev vxlan0 dst 10.99.0.2 self permanent
bridge -n b fdb append 0a:aa:aa:aa:aa:01 dev vxlan0 dst 10.99.0.1 self permanent
)";

// The veth pair with a root qdisc on the sending side, as the lab shapes its cables (netem's rate,
// or tbf's where the kernel lacks netem; 100 Gbit/s, so it never holds a packet back): a transmit
// through a qdisc added.
constexpr const char* kQdiscOnVeth = R"(tc -n a qdisc add dev eth0 root netem rate 100gbit
)";

// One namespace with a TUN device: each packet goes out into the TUN, up to the reader, and back
// in — tun_net_xmit, tun_do_read and tun_get_user, with a read() and a write() per packet.
constexpr const char* kTun = R"(ip netns add a
ip -n a link set dev lo up
ip -n a tuntap add dev tun0 mode tun
ip -n a link set dev tun0 mtu 9000 up
ip -n a addr add 10.99.0.1/24 dev tun0
)";

}  // namespace

const std::vector<StepExperiment>& step_experiments() {
  static const std::vector<StepExperiment> all = {
      {"veth", "UDP between two namespaces over one veth pair", kVeth, "a", "b", ip("10.99.0.1"), ip("10.99.0.2"), ""},
      {"bridge", "the same through a bridge: one more veth hop and br_handle_frame", kBridge, "a", "b", ip("10.99.0.1"),
       ip("10.99.0.2"), ""},
      {"forward", "the same through a router namespace: one more veth hop and ip_forward", kForward, "a", "b",
       ip("10.99.1.2"), ip("10.99.2.2"), ""},
      {"vxlan", "the same inside VXLAN over the veth pair: encapsulation and decapsulation", std::string(kVeth) + kVxlanOverVeth, "a", "b",
       ip("10.98.0.1"), ip("10.98.0.2"), ""},
      {"qdisc", "the same with a root qdisc on the sender's veth: __dev_xmit_skb's enqueue and dequeue", std::string(kVeth) + kQdiscOnVeth,
       "a", "b", ip("10.99.0.1"), ip("10.99.0.2"), ""},
      {"tun", "out into a TUN device, read and written back by a user-space loop, delivered locally", kTun, "a", "a",
       ip("10.99.0.1"), ip("10.99.0.2"), "tun0"},
  };
  return all;
}

const StepExperiment& step_experiment(const std::string& name) {
  for (const auto& e : step_experiments())
    if (e.name == name) return e;
  throw std::out_of_range("no step experiment named " + name);
}

}  // namespace ol::validate
