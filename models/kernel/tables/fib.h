// An IPv4 routing table (net/ipv4/fib_trie.c semantics without the trie): longest prefix first,
// then the lowest metric; a route is usable only if its scope is at least the lookup's scope.
// Lookups hash each prefix length present, so they cost O(distinct lengths), not O(routes).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/wire/addr.h"

namespace ol::kernel {

class Device;

enum class RouteType : std::uint8_t { Unicast, Local, Broadcast };
// rtm_scope values: a larger number is a narrower scope.
enum class Scope : std::uint8_t { Universe = 0, Link = 253, Host = 254 };
enum class RouteProto : std::uint8_t { Kernel = 2, Boot = 3 };

struct Route {
  RouteType type = RouteType::Unicast;
  wire::Ipv4Prefix dst;  // network address, host bits clear
  std::uint32_t metric = 0;
  Scope scope = Scope::Universe;
  RouteProto proto = RouteProto::Boot;
  std::optional<wire::Ipv4Addr> prefsrc;
  std::optional<wire::Ipv4Addr> gw;
  Device* dev = nullptr;
  bool onlink = false;

  bool same_key(const Route& o) const { return dst == o.dst && metric == o.metric; }
};

class FibTable {
 public:
  enum class AddResult { Added, Exists };

  explicit FibTable(std::uint32_t id) : id_(id) {}
  std::uint32_t id() const { return id_; }

  // fib_table_lookup: the best route for `dst` whose scope is >= `min_scope`, or nullptr.
  const Route* lookup(wire::Ipv4Addr dst, Scope min_scope = Scope::Universe) const;
  // RouteListFiltered(RT_FILTER_DST): the lowest-metric route for exactly this prefix, or nullptr.
  const Route* find(const wire::Ipv4Prefix& dst) const;
  AddResult add(const Route& r);   // NLM_F_EXCL: a route with the same prefix and metric exists
  void replace(const Route& r);    // NLM_F_REPLACE|NLM_F_CREATE
  // NLM_F_APPEND|NLM_F_CREATE (fib_magic's local routes): another alias after those with the same
  // prefix and metric, unless one with the same type and device is there already. One address on
  // several devices so gets one local route per device.
  AddResult append(const Route& r);
  bool remove(const wire::Ipv4Prefix& dst, std::optional<std::uint32_t> metric, const Device* dev);
  void remove_if_dev(const Device* dev);  // the device went down or away
  void remove_exact(const Route& r);      // one route, matched on every field that identifies it
  // Every route, in the order `ip route` prints them (by address, then prefix length, then metric).
  std::vector<const Route*> dump() const;
  std::size_t size() const { return count_; }

 private:
  static std::uint64_t key(const wire::Ipv4Prefix& p) { return std::uint64_t(p.len) << 32 | p.network().v; }
  void note_length(int len, int delta);

  std::uint32_t id_;
  std::unordered_map<std::uint64_t, std::vector<Route>> by_prefix_;  // each sorted by metric
  std::vector<std::pair<int, int>> lengths_;  // (prefix length, routes) sorted longest first
  std::size_t count_ = 0;
};

}  // namespace ol::kernel
