#include "models/kernel/apply.h"

#include <algorithm>

#include "models/kernel/devices/bridge.h"
#include "models/kernel/devices/tun.h"
#include "models/kernel/devices/veth.h"
#include "models/kernel/devices/vxlan.h"
#include "models/kernel/ipv4/fib_frontend.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netem.h"
#include "models/kernel/tbf.h"
#include "models/netconfig/render.h"

namespace ol::kernel {

namespace nc = netconfig;

wire::MacAddr default_mac(std::string_view netns, std::string_view dev) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : netns) h = (h ^ std::uint8_t(c)) * 0x100000001b3ull;
  h = (h ^ '/') * 0x100000001b3ull;
  for (char c : dev) h = (h ^ std::uint8_t(c)) * 0x100000001b3ull;
  wire::MacAddr m;
  for (int i = 0; i < 6; ++i) m.b[i] = std::uint8_t(h >> (8 * i));
  m.b[0] = std::uint8_t((m.b[0] & 0xfe) | 0x02);  // unicast, locally administered (eth_random_addr)
  return m;
}

namespace {

[[noreturn]] void fail(const std::string& why) { throw ConfigError(why); }

Netns& netns_or_fail(World& w, const std::string& name) {
  Netns* ns = w.netns(name);
  if (!ns) fail(fmt::format("Cannot open network namespace \"{}\": No such file or directory", name));
  return *ns;
}

Device& dev_or_fail(Netns& ns, const std::string& name) {
  Device* d = ns.dev_by_name(name);
  if (!d) fail(fmt::format("Cannot find device \"{}\"", name));
  return *d;
}

void check_free_name(Netns& ns, const std::string& name) {
  if (ns.dev_by_name(name)) fail("RTNETLINK answers: File exists");
}

void init_dev(Device& d, const std::optional<wire::MacAddr>& mac, const std::optional<int>& mtu) {
  d.mac = mac.value_or(default_mac(d.netns->name, d.name));
  d.mac_set_explicitly = mac.has_value();
  if (mtu) d.mtu = *mtu;
}

void set_up(Device& d, bool up) {
  if (d.admin_up == up) return;
  d.admin_up = up;
  if (up && d.kind == DevKind::Loopback && d.addrs.empty()) {
    // inetdev_event(NETDEV_UP): a loopback device gets 127.0.0.1/8 (scope host) when it comes up.
    d.addrs.push_back(IfAddr{{{0x7f000001u}, 8}, std::nullopt});
    fib_add_ifaddr(d, d.addrs.back());
  }
  if (up) fib_netdev_up(d);
  else fib_netdev_down(d);
  d.on_state_change();
}

void release_port(Device& d) {
  if (d.master) d.master->br_del_if(d);
}

// unregister_netdevice: routes, neighbours, bridge membership, then the device itself.
void unregister(Device& d) {
  Netns& ns = *d.netns;
  set_up(d, false);
  release_port(d);
  if (d.kind == DevKind::Bridge) {
    auto& br = static_cast<BridgeDevice&>(d);
    for (Device* port : std::vector<Device*>(br.ports)) br.br_del_if(*port);
  }
  fib_netdev_unregister(d);
  auto owned = ns.unlink_device(d);
  owned->dead = true;
  owned->on_state_change();
  ns.world.bury(std::move(owned));
}

void op(World& w, const nc::NetnsAdd& o) { w.add_netns(o.name); }

// cleanup_net → default_device_exit: every virtual device is deleted, a veth's peer with it.
void op(World& w, const nc::NetnsDel& o) {
  Netns* ns = w.netns(o.name);
  if (!ns) fail(fmt::format("Cannot remove namespace file \"/run/netns/{}\": No such file or directory", o.name));
  while (ns->devices().size() > 1) {
    Device& d = *ns->devices().back();
    if (d.kind == DevKind::Veth)
      if (VethDevice* peer = static_cast<VethDevice&>(d).peer) unregister(*peer);
    unregister(d);
  }
  w.remove_netns(*ns);
}

void op(World& w, const nc::LinkAdd& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  check_free_name(ns, o.name);
  switch (o.kind) {
    case nc::LinkKind::Veth: {
      Netns& pns = o.peer->netns.empty() ? ns : netns_or_fail(w, o.peer->netns);
      check_free_name(pns, o.peer->name);
      if (&pns == &ns && o.peer->name == o.name) fail("RTNETLINK answers: File exists");
      // veth_newlink registers the peer first, so it gets the lower ifindex.
      auto& peer = static_cast<VethDevice&>(pns.register_device(std::make_unique<VethDevice>(pns, o.peer->name)));
      auto& dev = static_cast<VethDevice&>(ns.register_device(std::make_unique<VethDevice>(ns, o.name)));
      init_dev(peer, o.peer->address, o.peer->mtu ? o.peer->mtu : o.mtu);
      init_dev(dev, o.address, o.mtu);
      if (o.txqueuelen) dev.txqueuelen = *o.txqueuelen;
      if (o.peer->txqueuelen) peer.txqueuelen = *o.peer->txqueuelen;
      VethDevice::pair(dev, peer);
      break;
    }
    case nc::LinkKind::Bridge: {
      auto& br = static_cast<BridgeDevice&>(ns.register_device(std::make_unique<BridgeDevice>(ns, o.name)));
      init_dev(br, o.address, o.mtu);
      br.mtu_set_explicitly = o.mtu.has_value();
      br.fdb.add_local(br.mac, &br);  // frames for the bridge's own MAC are delivered up
      break;
    }
    case nc::LinkKind::Vxlan: {
      const auto& v = *o.vxlan;
      Device* lower = v.dev.empty() ? nullptr : &dev_or_fail(ns, v.dev);
      for (auto& d : ns.devices())
        if (d->kind == DevKind::Vxlan && static_cast<VxlanDevice&>(*d).vni == v.vni &&
            static_cast<VxlanDevice&>(*d).dstport == v.dstport.value_or(VxlanDevice::kDefaultPort))
          fail("Error: A VXLAN device with the specified VNI already exists.");
      auto seed = w.sim.stream("vxlan-hash:" + ns.name + "/" + o.name).next();
      auto& vx = static_cast<VxlanDevice&>(ns.register_device(std::make_unique<VxlanDevice>(ns, o.name, v.vni, seed)));
      init_dev(vx, o.address, o.mtu ? o.mtu : std::optional<int>(lower ? lower->mtu - 50 : 1500));
      vx.local = v.local;
      vx.lower = lower;
      vx.dstport = v.dstport.value_or(VxlanDevice::kDefaultPort);
      vx.learning = !v.nolearning;
      break;
    }
  }
}

void op(World& w, const nc::TuntapAdd& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  check_free_name(ns, o.name);
  auto& tun = ns.register_device(std::make_unique<TunDevice>(ns, o.name));
  tun.mac = wire::MacAddr::zero();
}

void move_netns(World& w, Device& d, const std::string& to) {
  Netns& dst = netns_or_fail(w, to);
  if (&dst == d.netns) return;
  check_free_name(dst, d.name);
  set_up(d, false);  // dev_change_net_namespace closes the device and flushes its addresses
  release_port(d);
  fib_netdev_unregister(d);
  d.addrs.clear();
  const int index = d.ifindex;
  auto owned = d.netns->unlink_device(d);
  dst.register_device(std::move(owned), index);
}

void op(World& w, const nc::LinkSet& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  Device& d = dev_or_fail(ns, o.dev);
  if (o.to_netns) move_netns(w, d, *o.to_netns);
  if (o.address) {
    if (d.master) d.master->fdb.remove_local(d.mac, &d);
    if (d.kind == DevKind::Bridge) static_cast<BridgeDevice&>(d).fdb.remove_local(d.mac, &d);
    d.mac = *o.address;
    d.mac_set_explicitly = true;
    if (d.master) d.master->fdb.add_local(d.mac, &d);
    if (d.kind == DevKind::Bridge) static_cast<BridgeDevice&>(d).fdb.add_local(d.mac, &d);
  }
  if (o.mtu) {
    if (*o.mtu < 68) fail("Error: mtu less than device minimum.");
    d.mtu = *o.mtu;
    if (d.kind == DevKind::Bridge) static_cast<BridgeDevice&>(d).mtu_set_explicitly = true;
    if (d.master) d.master->mtu_auto_adjust();
  }
  if (o.master) {
    release_port(d);
    if (!o.master->empty()) {
      Device& m = dev_or_fail(*d.netns, *o.master);
      if (m.kind != DevKind::Bridge) fail("RTNETLINK answers: Operation not supported");
      if (&m == &d) fail("Error: Device can not be enslaved to itself.");
      static_cast<BridgeDevice&>(m).br_add_if(d);
    }
  }
  if (o.up) set_up(d, *o.up);
}

void op(World& w, const nc::LinkDel& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  Device& d = dev_or_fail(ns, o.dev);
  if (d.kind == DevKind::Loopback) fail("RTNETLINK answers: Operation not supported");
  if (d.kind == DevKind::Veth) {
    if (VethDevice* peer = static_cast<VethDevice&>(d).peer) unregister(*peer);  // the pair goes together
  }
  unregister(d);
}

void op(World& w, const nc::BridgeLinkSet& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  Device& d = dev_or_fail(ns, o.dev);
  if (!d.master) fail("RTNETLINK answers: Operation not supported");
  d.hairpin = o.hairpin;
}

void op(World& w, const nc::AddrAdd& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  Device& d = dev_or_fail(ns, o.dev);
  for (const IfAddr& a : d.addrs)
    if (a.local.addr == o.local.addr && a.local.len == o.local.len) fail("Error: ipv4: Address already assigned.");
  d.addrs.push_back(IfAddr{o.local, o.broadcast});
  fib_add_ifaddr(d, d.addrs.back());
}

Route route_from(World& w, Netns& ns, const nc::RouteOp& o) {
  Route r;
  r.dst = {o.dst.network(), o.dst.len};
  r.metric = o.metric.value_or(0);
  r.gw = o.via;
  r.onlink = o.onlink;
  r.prefsrc = o.src;
  r.dev = o.dev.empty() ? nullptr : &dev_or_fail(ns, o.dev);
  (void)w;
  if (!o.dst.is_network()) fail("Error: Invalid prefix for given prefix length.");
  if (o.via) {
    // fib_check_nh_v4_gw: an onlink gateway needs only an up device; any other must be on a
    // connected subnet (a lookup of scope link or narrower) reached through the named device.
    if (o.onlink) {
      if (!r.dev) fail("Error: Nexthop device required for onlink.");
      if (!r.dev->admin_up) fail("Error: Nexthop device is not up.");
    } else {
      const Route* via = fib_lookup(ns, *o.via, Scope::Link);
      if (!via || via->type != RouteType::Unicast || (r.dev && via->dev != r.dev))
        fail("Error: Nexthop has invalid gateway.");
      r.dev = via->dev;
    }
    r.scope = o.scope.value_or(nc::RouteScope::Universe) == nc::RouteScope::Universe ? Scope::Universe : Scope::Link;
  } else {
    if (!r.dev) fail("Error: Device for nexthop is not up.");
    if (!r.dev->admin_up) fail("Error: Device for nexthop is not up.");
    auto s = o.scope.value_or(nc::RouteScope::Link);
    r.scope = s == nc::RouteScope::Host ? Scope::Host : s == nc::RouteScope::Link ? Scope::Link : Scope::Universe;
  }
  return r;
}

void op(World& w, const nc::RouteOp& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  if (o.verb == nc::Verb::Del) {
    const Device* dev = o.dev.empty() ? nullptr : &dev_or_fail(ns, o.dev);
    if (!ns.main_table.remove({o.dst.network(), o.dst.len}, o.metric, dev)) fail("RTNETLINK answers: No such process");
    return;
  }
  Route r = route_from(w, ns, o);
  if (o.verb == nc::Verb::Replace) return ns.main_table.replace(r);
  if (ns.main_table.add(r) == FibTable::AddResult::Exists) fail("RTNETLINK answers: File exists");
}

Nud nud_of(nc::Nud n) {
  switch (n) {
    case nc::Nud::Permanent: return Nud::Permanent;
    case nc::Nud::Noarp: return Nud::Noarp;
    case nc::Nud::Reachable: return Nud::Reachable;
    case nc::Nud::Stale: return Nud::Stale;
  }
  return Nud::Permanent;
}

void op(World& w, const nc::NeighOp& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  Device& d = dev_or_fail(ns, o.dev);
  if (o.verb == nc::Verb::Del) {
    if (!ns.neigh.remove(&d, o.ip)) fail("RTNETLINK answers: No such file or directory");
    return;
  }
  if (!ns.neigh.add(&d, o.ip, *o.lladdr, nud_of(o.nud), o.verb == nc::Verb::Replace))
    fail("RTNETLINK answers: File exists");
}

void op(World& w, const nc::FdbOp& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  Device& d = dev_or_fail(ns, o.dev);
  if (d.kind == DevKind::Vxlan && !o.master) {
    auto& fdb = static_cast<VxlanDevice&>(d).fdb;
    if (o.verb == nc::Verb::Del) {
      if (fdb.remove(o.mac, o.dst) != VxlanFdb::Result::Ok) fail("RTNETLINK answers: No such file or directory");
      return;
    }
    if (!o.dst) fail("RTNETLINK answers: Invalid argument");
    VxlanFdb::Result r = o.verb == nc::Verb::Append    ? fdb.append(o.mac, *o.dst)
                         : o.verb == nc::Verb::Replace ? fdb.replace(o.mac, *o.dst)
                                                       : fdb.add(o.mac, *o.dst);
    if (r == VxlanFdb::Result::Exists) fail("RTNETLINK answers: File exists");
    return;
  }
  if (!d.master) fail("RTNETLINK answers: Operation not supported");
  if (o.verb == nc::Verb::Del) {
    d.master->fdb.remove_local(o.mac, &d);
    return;
  }
  d.master->fdb.add_local(o.mac, &d);  // a static entry on a port: frames for it go out that port
}

void op(World& w, const nc::Sysctl& o) {
  Netns& ns = netns_or_fail(w, o.netns);
  auto boolean = [&](bool& target) {
    if (o.value != "0" && o.value != "1") fail(fmt::format("sysctl: setting key \"{}\": Invalid argument", o.key));
    target = o.value == "1";
  };
  if (o.key == "net.ipv4.ip_forward" || o.key == "net.ipv4.conf.all.forwarding") return boolean(ns.ip_forward);
  if (o.key == "net.ipv4.ip_default_ttl") {
    int ttl = std::atoi(o.value.c_str());
    if (ttl < 1 || ttl > 255) fail(fmt::format("sysctl: setting key \"{}\": Invalid argument", o.key));
    ns.default_ttl = ttl;
    return;
  }
  std::string path = o.key;
  std::replace(path.begin(), path.end(), '.', '/');
  fail(fmt::format("sysctl: cannot stat /proc/sys/{}: No such file or directory (overlaylab models "
                   "net.ipv4.ip_forward, net.ipv4.conf.all.forwarding and net.ipv4.ip_default_ttl)",
                   path));
}

// The device a `tc qdisc add|change dev D root KIND` acts on: add needs it without a root qdisc,
// change needs one of the same kind (a netem is not changed into a tbf).
Device& qdisc_target(World& w, const std::string& netns, const std::string& dev, bool change, std::string_view kind) {
  Device& d = dev_or_fail(netns_or_fail(w, netns), dev);
  if (change && !d.qdisc) fail("Error: Qdisc not found. To create specify NLM_F_CREATE flag.");
  if (!change && d.qdisc) fail("Error: Exclusivity flag on, cannot modify.");
  if (change && d.qdisc->kind() != kind) fail("Error: Specified qdisc kind is different.");
  return d;
}

void op(World& w, const nc::Netem& o) {
  Device& d = qdisc_target(w, o.netns, o.dev, o.change, "netem");
  // netem_change: every option is set again; what the command leaves out goes back to its default.
  auto q = std::make_unique<Netem>(o.delay_ns.value_or(0), o.rate_bps.value_or(0), o.limit.value_or(1000),
                                   o.packet_overhead.value_or(0));
  q->set_loss(o.loss_percent.value_or(0) / 100.0, w.sim.stream("netem loss " + o.netns + "/" + o.dev));
  d.qdisc = std::move(q);
}

void op(World& w, const nc::Tbf& o) {
  Device& d = qdisc_target(w, o.netns, o.dev, o.change, "tbf");
  d.qdisc = std::make_unique<Tbf>(o.rate_bps, o.burst, o.limit, o.packet_overhead.value_or(0));
}

}  // namespace

void apply(World& world, const nc::Op& o) {
  try {
    std::visit([&](const auto& x) { op(world, x); }, o);
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}\n    {}", nc::render(o), e.what()));
  }
}

void apply(World& world, const nc::NetConfig& cfg) {
  for (const auto& c : cfg.commands) apply(world, c.op);
}

}  // namespace ol::kernel
