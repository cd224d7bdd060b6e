// A bridge's forwarding database (net/bridge/br_fdb.c): MAC → port, learnt from source addresses
// and aged out after ageing_time; "local" entries (the bridge's and its ports' own MACs) mean
// "deliver to this host".
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "models/wire/addr.h"
#include "sim/time.h"

namespace ol::kernel {

class Device;

struct FdbEntry {
  wire::MacAddr mac;
  Device* port = nullptr;  // for a local entry: the device whose MAC it is (a port or the bridge)
  bool is_local = false;
  bool is_static = false;
  Nanos updated = 0;
};

class BridgeFdb {
 public:
  Nanos ageing_time = 300 * kNanosPerSecond;

  // br_fdb_find, treating an expired learnt entry as absent.
  const FdbEntry* find(const wire::MacAddr& mac, Nanos now) const;
  // br_fdb_update: learn (or move) `mac` to `port`; local entries are never overwritten.
  void learn(const wire::MacAddr& mac, Device* port, Nanos now);
  void add_local(const wire::MacAddr& mac, Device* dev);
  void remove_port(const Device* port);
  void remove_local(const wire::MacAddr& mac, const Device* dev);
  std::vector<const FdbEntry*> dump(Nanos now) const;

 private:
  std::unordered_map<std::uint64_t, FdbEntry> entries_;
};

}  // namespace ol::kernel
