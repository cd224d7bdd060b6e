// net/ipv4/fib_frontend.c: the routes the kernel adds by itself for an address (fib_add_ifaddr)
// and what happens to routes when a device goes up or down (fib_netdev_event).
#pragma once

namespace ol::kernel {

class Device;
struct IfAddr;

// On address add: the local route always; the prefix and broadcast routes once the device is up.
void fib_add_ifaddr(Device& dev, const IfAddr& a);
void fib_netdev_up(Device& dev);    // adds the prefix and broadcast routes of every address
void fib_netdev_down(Device& dev);  // flushes every route through the device but the local ones
void fib_netdev_unregister(Device& dev);  // the device leaves: all of its routes and neighbours

}  // namespace ol::kernel
