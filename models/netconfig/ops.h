// NetConfig: the contract between the control plane and both kernels (simulated and real). Plain
// data, one struct per kind of command, names and MAC addresses explicit so that both kernels end
// up with the same tables entry for entry. render() prints each as the iproute2 command a person
// would type; parse() reads the same subset back (parse(render(x)) == x).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/wire/addr.h"

namespace ol::netconfig {

using wire::Ipv4Addr;
using wire::Ipv4Prefix;
using wire::MacAddr;

struct NetnsAdd {
  std::string name;
  bool operator==(const NetnsAdd&) const = default;
};

struct NetnsDel {  // ip netns del NAME: its devices go with it (a veth's peer too)
  std::string name;
  bool operator==(const NetnsDel&) const = default;
};

enum class LinkKind { Veth, Bridge, Vxlan };

struct VethPeer {
  std::string name;
  std::optional<MacAddr> address;
  std::optional<int> mtu;
  std::string netns;  // empty: the same namespace
  std::optional<std::uint32_t> txqueuelen;
  bool operator==(const VethPeer&) const = default;
};

struct VxlanOptions {
  std::uint32_t vni = 0;
  std::optional<Ipv4Addr> local;
  std::string dev;                    // underlay device, may be empty
  std::optional<std::uint16_t> dstport;  // absent: the kernel default, 8472
  bool nolearning = false;
  bool operator==(const VxlanOptions&) const = default;
};

struct LinkAdd {
  std::string netns;
  std::string name;
  LinkKind kind = LinkKind::Veth;
  std::optional<MacAddr> address;
  std::optional<int> mtu;
  std::optional<std::uint32_t> txqueuelen;  // absent: the kernel's default (1000)
  std::optional<VethPeer> peer;      // kind == Veth
  std::optional<VxlanOptions> vxlan;  // kind == Vxlan
  bool operator==(const LinkAdd&) const = default;
};

struct TuntapAdd {  // ip tuntap add dev NAME mode tun
  std::string netns;
  std::string name;
  bool operator==(const TuntapAdd&) const = default;
};

struct LinkSet {  // attributes are applied in the order of the fields below
  std::string netns;
  std::string dev;
  std::optional<std::string> to_netns;
  std::optional<MacAddr> address;
  std::optional<int> mtu;
  std::optional<std::string> master;  // "" = nomaster
  std::optional<bool> up;
  bool operator==(const LinkSet&) const = default;
};

struct LinkDel {
  std::string netns;
  std::string dev;
  bool operator==(const LinkDel&) const = default;
};

struct BridgeLinkSet {  // bridge link set dev PORT hairpin on|off
  std::string netns;
  std::string dev;
  bool hairpin = false;
  bool operator==(const BridgeLinkSet&) const = default;
};

struct AddrAdd {
  std::string netns;
  Ipv4Prefix local;
  std::optional<Ipv4Addr> broadcast;
  std::string dev;
  bool operator==(const AddrAdd&) const = default;
};

enum class Verb { Add, Replace, Append, Del };
enum class RouteScope { Universe, Link, Host };

struct RouteOp {
  Verb verb = Verb::Add;  // Add | Replace | Del
  std::string netns;
  Ipv4Prefix dst;  // 0.0.0.0/0 renders as "default"
  std::optional<Ipv4Addr> via;
  std::string dev;
  bool onlink = false;
  std::optional<std::uint32_t> metric;
  std::optional<RouteScope> scope;
  std::optional<Ipv4Addr> src;
  bool operator==(const RouteOp&) const = default;
};

enum class Nud { Permanent, Noarp, Reachable, Stale };

struct NeighOp {
  Verb verb = Verb::Add;  // Add | Replace | Del
  std::string netns;
  Ipv4Addr ip;
  std::optional<MacAddr> lladdr;
  std::string dev;
  Nud nud = Nud::Permanent;
  bool operator==(const NeighOp&) const = default;
};

struct FdbOp {
  Verb verb = Verb::Append;  // Add | Replace | Append | Del
  std::string netns;
  MacAddr mac;
  std::string dev;
  std::optional<Ipv4Addr> dst;
  bool self = false;
  bool master = false;
  bool permanent = false;
  bool operator==(const FdbOp&) const = default;
};

struct Sysctl {  // ip netns exec NS sysctl -w KEY=VALUE
  std::string netns;
  std::string key;
  std::string value;
  bool operator==(const Sysctl&) const = default;
};

struct Netem {  // tc qdisc add|change dev DEV root netem [delay Nus] [rate Nbit [OVERHEAD]] [loss P%] [limit N]
  bool change = false;  // `qdisc change`: the qdisc exists; every option is given again
  std::string netns;
  std::string dev;
  std::optional<std::uint64_t> delay_ns;
  std::optional<std::uint64_t> rate_bps;
  std::optional<std::uint32_t> packet_overhead;  // `rate R OVERHEAD`: bytes added to each frame's size
  std::optional<std::uint32_t> limit;
  std::optional<double> loss_percent;  // each frame dropped with this probability (0–100)
  bool operator==(const Netem&) const = default;
};

// tc qdisc add|change dev DEV root tbf rate Rbit burst B limit L [overhead O]: a token bucket
// (net/sched/sch_tbf.c) of `burst` bytes filled at `rate`, in front of a FIFO of `limit` bytes.
struct Tbf {
  bool change = false;
  std::string netns;
  std::string dev;
  std::uint64_t rate_bps = 0;
  std::uint64_t burst = 0;  // bytes
  std::uint64_t limit = 0;  // bytes the FIFO holds
  std::optional<std::uint32_t> packet_overhead;  // `overhead O`: bytes added to each packet's size
  bool operator==(const Tbf&) const = default;
};

// What a kernel without netem (CONFIG_NET_SCH_NETEM unset) is given for a netem shape: its rate as
// a token bucket holding what the rate sends in 4 ms (a tick at HZ=250, so the timer's granularity
// does not cap the rate; at least 64 KiB), in front of a FIFO of the netem limit's full Ethernet
// frames. Delay and loss have no tbf equivalent. Nullopt when the shape has no rate.
std::optional<Tbf> tbf_for(const Netem& shape);

using Op = std::variant<NetnsAdd, NetnsDel, LinkAdd, TuntapAdd, LinkSet, LinkDel, BridgeLinkSet, AddrAdd, RouteOp,
                        NeighOp, FdbOp, Sysctl, Netem, Tbf>;

// Origins are a handful of component names, each issuing thousands of commands (a 5,000-node
// cluster's flanneld issue 75 million): a command points at its origin's one copy, never owns one.
// intern_origin keeps one copy of each text for the life of the process.
std::string_view intern_origin(std::string_view text);

// One command and the component that issued it ("CNI bridge", "flanneld vxlan backend", …).
struct Command {
  Op op;
  std::string_view origin;  // a string literal's, or intern_origin's
  Command() = default;
  template <class T>
  Command(T&& o, std::string_view from) : op(std::forward<T>(o)), origin(from) {}
  bool operator==(const Command&) const = default;
};

struct NetConfig {
  std::vector<Command> commands;
  // `origin` must have static storage: a string literal or a constant naming one. The command is
  // built in place from the op it is given (an Op, or one of its kinds): at 5,000 nodes flanneld
  // issues 75 million, and each move of a 300-byte Command showed in the profile.
  template <class T>
  void add(T&& op, const char* origin = "") {
    commands.emplace_back(std::forward<T>(op), origin);
  }
  // Any other text (read from a script, say) is interned first.
  template <class T>
  void add(T&& op, const std::string& origin) {
    commands.emplace_back(std::forward<T>(op), intern_origin(origin));
  }
  bool operator==(const NetConfig&) const = default;
};

// The namespace a command runs in ("" never occurs: overlaylab never touches the root namespace).
const std::string& netns_of(const Op& op);

}  // namespace ol::netconfig
