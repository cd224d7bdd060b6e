#include "models/kernel/ipv4/fib_frontend.h"

#include <vector>

#include "models/kernel/device.h"
#include "models/kernel/netns.h"

namespace ol::kernel {

namespace {

void add_connected_routes(Device& dev, const IfAddr& a) {
  Netns& ns = *dev.netns;
  const wire::Ipv4Addr addr = a.local.addr;
  if (a.local.len < 32 && dev.kind != DevKind::Loopback) {  // lo's prefix is local (fib_add_ifaddr)
    Route r;
    r.dst = {a.local.network(), a.local.len};
    r.scope = Scope::Link;
    r.proto = RouteProto::Kernel;
    r.prefsrc = addr;
    r.dev = &dev;
    ns.main_table.add(r);
  }
  if (a.local.len < 31) {  // the subnet's broadcast address (newer kernels add no network-address route)
    Route b;
    b.type = RouteType::Broadcast;
    b.dst = {a.local.broadcast(), 32};
    b.scope = Scope::Link;
    b.proto = RouteProto::Kernel;
    b.prefsrc = addr;
    b.dev = &dev;
    ns.local_table.add(b);
  }
}

}  // namespace

void fib_add_ifaddr(Device& dev, const IfAddr& a) {
  Route l;
  l.type = RouteType::Local;
  l.dst = {a.local.addr, 32};
  l.scope = Scope::Host;
  l.proto = RouteProto::Kernel;
  l.prefsrc = a.local.addr;
  l.dev = &dev;
  dev.netns->local_table.append(l);
  if (dev.kind == DevKind::Loopback && a.local.len < 32) {  // 127.0.0.1/8 makes all of 127/8 local
    Route net = l;
    net.dst = {a.local.network(), a.local.len};
    dev.netns->local_table.add(net);
  }
  if (dev.admin_up) add_connected_routes(dev, a);
}

void fib_netdev_up(Device& dev) {
  for (const IfAddr& a : dev.addrs) add_connected_routes(dev, a);
}

void fib_netdev_down(Device& dev) {
  Netns& ns = *dev.netns;
  ns.main_table.remove_if_dev(&dev);
  std::vector<Route> broadcast;
  for (const Route& r : ns.local_table.dump())
    if (r.dev == &dev && r.type == RouteType::Broadcast) broadcast.push_back(r);
  for (const Route& r : broadcast) ns.local_table.remove_exact(r);
  ns.neigh.remove_dev(&dev);
}

void fib_netdev_unregister(Device& dev) {
  Netns& ns = *dev.netns;
  ns.main_table.remove_if_dev(&dev);
  ns.local_table.remove_if_dev(&dev);
  ns.neigh.remove_dev(&dev);
}

}  // namespace ol::kernel
