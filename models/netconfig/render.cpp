#include "models/netconfig/render.h"

#include <fmt/format.h>

namespace ol::netconfig {

namespace {

std::string ip_n(const std::string& ns) { return "ip -n " + ns + " "; }

std::string verb_word(Verb v) {
  switch (v) {
    case Verb::Add: return "add";
    case Verb::Replace: return "replace";
    case Verb::Append: return "append";
    case Verb::Del: return "del";
  }
  return "add";
}

std::string link_attrs(const std::optional<MacAddr>& address, const std::optional<int>& mtu,
                       const std::optional<std::uint32_t>& txqueuelen = std::nullopt) {
  std::string s;
  if (address) s += " address " + address->str();
  if (mtu) s += fmt::format(" mtu {}", *mtu);
  if (txqueuelen) s += fmt::format(" txqueuelen {}", *txqueuelen);
  return s;
}

std::string nud_word(Nud n) {
  switch (n) {
    case Nud::Permanent: return "permanent";
    case Nud::Noarp: return "noarp";
    case Nud::Reachable: return "reachable";
    case Nud::Stale: return "stale";
  }
  return "permanent";
}

std::string scope_word(RouteScope s) {
  switch (s) {
    case RouteScope::Universe: return "global";
    case RouteScope::Link: return "link";
    case RouteScope::Host: return "host";
  }
  return "global";
}

struct Renderer {
  std::string operator()(const NetnsAdd& o) const { return "ip netns add " + o.name; }
  std::string operator()(const NetnsDel& o) const { return "ip netns del " + o.name; }

  std::string operator()(const LinkAdd& o) const {
    std::string s = ip_n(o.netns) + "link add " + o.name + link_attrs(o.address, o.mtu, o.txqueuelen);
    switch (o.kind) {
      case LinkKind::Veth:
        s += " type veth peer name " + o.peer->name + link_attrs(o.peer->address, o.peer->mtu, o.peer->txqueuelen);
        if (!o.peer->netns.empty()) s += " netns " + o.peer->netns;
        break;
      case LinkKind::Bridge: s += " type bridge"; break;
      case LinkKind::Vxlan: {
        const auto& v = *o.vxlan;
        s += fmt::format(" type vxlan id {}", v.vni);
        if (v.local) s += " local " + v.local->str();
        if (!v.dev.empty()) s += " dev " + v.dev;
        if (v.dstport) s += fmt::format(" dstport {}", *v.dstport);
        if (v.nolearning) s += " nolearning";
        break;
      }
    }
    return s;
  }

  std::string operator()(const TuntapAdd& o) const { return ip_n(o.netns) + "tuntap add dev " + o.name + " mode tun"; }

  std::string operator()(const LinkSet& o) const {
    std::string s = ip_n(o.netns) + "link set dev " + o.dev;
    if (o.to_netns) s += " netns " + *o.to_netns;
    if (o.address) s += " address " + o.address->str();
    if (o.mtu) s += fmt::format(" mtu {}", *o.mtu);
    if (o.master) s += o.master->empty() ? " nomaster" : " master " + *o.master;
    if (o.up) s += *o.up ? " up" : " down";
    return s;
  }

  std::string operator()(const LinkDel& o) const { return ip_n(o.netns) + "link del dev " + o.dev; }

  std::string operator()(const BridgeLinkSet& o) const {
    return "bridge -n " + o.netns + " link set dev " + o.dev + (o.hairpin ? " hairpin on" : " hairpin off");
  }

  std::string operator()(const AddrAdd& o) const {
    std::string s = ip_n(o.netns) + "addr add " + o.local.str();
    if (o.broadcast) s += " brd " + o.broadcast->str();
    return s + " dev " + o.dev;
  }

  std::string operator()(const RouteOp& o) const {
    std::string s = ip_n(o.netns) + "route " + verb_word(o.verb) + " ";
    s += o.dst.len == 0 && o.dst.addr.is_zero() ? "default" : o.dst.str();
    if (o.via) s += " via " + o.via->str();
    if (!o.dev.empty()) s += " dev " + o.dev;
    if (o.onlink) s += " onlink";
    if (o.metric) s += fmt::format(" metric {}", *o.metric);
    if (o.scope) s += " scope " + scope_word(*o.scope);
    if (o.src) s += " src " + o.src->str();
    return s;
  }

  std::string operator()(const NeighOp& o) const {
    std::string s = ip_n(o.netns) + "neigh " + verb_word(o.verb) + " " + o.ip.str();
    if (o.lladdr) s += " lladdr " + o.lladdr->str();
    s += " dev " + o.dev;
    if (o.verb != Verb::Del) s += " nud " + nud_word(o.nud);
    return s;
  }

  std::string operator()(const FdbOp& o) const {
    std::string s = "bridge -n " + o.netns + " fdb " + verb_word(o.verb) + " " + o.mac.str() + " dev " + o.dev;
    if (o.dst) s += " dst " + o.dst->str();
    if (o.self) s += " self";
    if (o.master) s += " master";
    if (o.permanent) s += " permanent";
    return s;
  }

  std::string operator()(const Sysctl& o) const {
    return "ip netns exec " + o.netns + " sysctl -w " + o.key + "=" + o.value;
  }

  std::string operator()(const Netem& o) const {
    std::string s = "tc -n " + o.netns + " qdisc " + (o.change ? "change" : "add") + " dev " + o.dev + " root netem";
    if (o.delay_ns) s += " delay " + format_delay(*o.delay_ns);
    if (o.rate_bps) s += " rate " + format_rate(*o.rate_bps);
    if (o.rate_bps && o.packet_overhead) s += fmt::format(" {}", *o.packet_overhead);
    if (o.loss_percent) s += fmt::format(" loss {}%", *o.loss_percent);
    if (o.limit) s += fmt::format(" limit {}", *o.limit);
    return s;
  }

  std::string operator()(const Tbf& o) const {
    std::string s = "tc -n " + o.netns + " qdisc " + (o.change ? "change" : "add") + " dev " + o.dev + " root tbf";
    s += fmt::format(" rate {} burst {} limit {}", format_rate(o.rate_bps), o.burst, o.limit);
    if (o.packet_overhead) s += fmt::format(" overhead {}", *o.packet_overhead);
    return s;
  }
};

}  // namespace

std::string format_rate(std::uint64_t bps) {
  if (bps % 1'000'000'000 == 0) return fmt::format("{}gbit", bps / 1'000'000'000);
  if (bps % 1'000'000 == 0) return fmt::format("{}mbit", bps / 1'000'000);
  if (bps % 1'000 == 0) return fmt::format("{}kbit", bps / 1'000);
  return fmt::format("{}bit", bps);
}

std::string format_delay(std::uint64_t ns) {
  if (ns != 0 && ns % 1'000'000'000 == 0) return fmt::format("{}s", ns / 1'000'000'000);
  if (ns != 0 && ns % 1'000'000 == 0) return fmt::format("{}ms", ns / 1'000'000);
  if (ns % 1'000 == 0) return fmt::format("{}us", ns / 1'000);
  return fmt::format("{}ns", ns);
}

std::string render(const Op& op) { return std::visit(Renderer{}, op); }

std::string render(const NetConfig& cfg) {
  std::string out;
  std::string_view origin;
  for (const auto& c : cfg.commands) {
    if (c.origin != origin) {
      out += c.origin.empty() ? "#\n" : fmt::format("# {}\n", c.origin);
      origin = c.origin;
    }
    out += render(c.op) + "\n";
  }
  return out;
}

const std::string& netns_of(const Op& op) {
  return std::visit(
      [](const auto& o) -> const std::string& {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, NetnsAdd> || std::is_same_v<T, NetnsDel>)
          return o.name;
        else
          return o.netns;
      },
      op);
}

}  // namespace ol::netconfig
