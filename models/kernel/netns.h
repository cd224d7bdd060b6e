// struct net: one network namespace with its own devices, routing tables, neighbour table, sockets
// and sysctls. The stack's functions (ipv4/, devices/) take the namespace they run in.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/cost/cpu.h"
#include "models/kernel/device.h"
#include "models/kernel/sockets.h"
#include "models/kernel/tables/fib.h"
#include "models/kernel/tables/neigh.h"

namespace ol::kernel {

class CpuWork;
class Softnet;
class Tracing;
class World;
struct IpFragQueues;

struct PmtuEntry {  // a route exception learnt from ICMP fragmentation-needed (ip_rt_update_pmtu)
  int mtu;
  Nanos expires;
};

class alignas(64) Netns {
 public:
  Netns(World& w, std::string name);
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  Device* dev_by_name(std::string_view name) const;
  Device* dev_by_index(int ifindex) const;
  // register_netdevice: takes ownership and assigns the next free ifindex (or keeps `keep_index`).
  Device& register_device(std::unique_ptr<Device> dev, int keep_index = 0);
  // Removes the device from this namespace (its routes, neighbours and addresses go with it).
  std::unique_ptr<Device> unlink_device(Device& dev);
  const std::vector<std::unique_ptr<Device>>& devices() const { return devices_; }

  // inet_addr_type(): is `a` one of this namespace's local addresses?
  bool is_local_addr(wire::Ipv4Addr a) const;
  Nanos now() const;
  Device& loopback() const { return *devices_.front(); }

  World& world;      // the registry (ip netns); the datapath reaches only the four below
  PacketPool& pool;  // skb allocation
  CpuWork& work;     // CPU time of the work in progress
  Softnet& softnet;  // netif_rx and the per-CPU backlogs
  Tracing& tracing;  // tracepoints, taps, drop counters
  cost::NodeCpu* cpu = nullptr;  // its node's cores; null: its work costs nothing
  bool ip_forward = false;  // net.ipv4.ip_forward
  int default_ttl = 64;     // net.ipv4.ip_default_ttl
  std::uint16_t next_ip_id = 1;
  // (What a packet passing through reads is above, on one cache line; names are read by people.)
  std::string name;
  std::string node;  // the node this namespace belongs to (itself for a node's root namespace)
  FibTable local_table{255};
  FibTable main_table;  // its gateway routes shared with the World's other tables (World::shared_routes)
  NeighTable neigh;
  SocketTable sockets;
  std::unordered_map<std::uint32_t, PmtuEntry> pmtu;
  std::unique_ptr<IpFragQueues> ipfrag;  // created on the first fragment

 private:
  std::vector<std::unique_ptr<Device>> devices_;  // ordered by ifindex; [0] is lo
  int next_ifindex_ = 1;
  // The device found by name last: a flanneld's batch names its VTEP thousands of times in a row.
  // Its name is compared again on each use (a rename keeps the device); unlinking it clears it.
  mutable Device* last_by_name_ = nullptr;
  // A node's namespace holds a veth per pod: past a handful of devices, names are found by hash
  // (keys view the devices' own names, which never change while registered here).
  static constexpr std::size_t kIndexFrom = 8;
  std::unordered_map<std::string_view, Device*> by_name_;
  void index_name(Device& d);
};

}  // namespace ol::kernel
