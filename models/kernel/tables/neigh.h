// The ARP neighbour table and its state machine (net/core/neighbour.c with net/ipv4/arp.c's
// parameters): INCOMPLETE while resolving, with packets queued (counted by their truesize, up to
// unres_qlen_bytes); REACHABLE once answered, and for as long as something confirms it (a TCP
// ACK that acknowledges new data: dst_confirm); STALE once reachable_time passes unconfirmed;
// DELAY then PROBE when a stale entry is used; FAILED after the retries.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "models/kernel/packet.h"
#include "models/kernel/tables/id_bits.h"
#include "models/kernel/tables/shared_entries.h"
#include "models/kernel/tables/slot_index.h"
#include "models/wire/addr.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/time.h"

namespace ol::kernel {

class Device;
class Netns;

enum class Nud : std::uint8_t { None, Incomplete, Reachable, Stale, Delay, Probe, Failed, Noarp, Permanent };
const char* nud_name(Nud s);  // as `ip neigh` prints it: REACHABLE, PERMANENT, …

// The fields are ordered by size (72 bytes): a 5,000-node cluster holds 25 million neighbours.
struct Neighbour {
  Device* dev = nullptr;
  Nanos confirmed = 0;
  std::vector<PacketPtr> arp_queue;  // packets waiting for resolution (only while INCOMPLETE)
  EventId timer;
  wire::Ipv4Addr ip;
  std::uint32_t queued_bytes = 0;  // arp_queue_len_bytes: the queued packets' truesize
  int probes = 0;
  std::optional<wire::MacAddr> lladdr;
  Nud state = Nud::None;
  bool timer_armed = false;
};

// A PERMANENT entry as the World's tables share it (shared_entries.h): flanneld's vxlan backend
// programs every peer's VTEP address into every node, the same address and MAC 5,000 times over.
struct PermanentNeigh {
  wire::Ipv4Addr ip;
  wire::MacAddr lladdr;
  bool operator==(const PermanentNeigh&) const = default;
};
using NeighPool = SharedEntries<PermanentNeigh>;  // keyed by the address

// An entry as `ip neigh` shows it, whether the table holds it itself or shares it.
struct NeighView {
  const Device* dev = nullptr;
  wire::Ipv4Addr ip;
  std::optional<wire::MacAddr> lladdr;
  Nud state = Nud::None;
  std::uint32_t shared_id = UINT32_MAX;  // the entry's id in the NeighPool when it is shared
};
NeighView view_of(const Neighbour& n);

struct NeighParams {  // /proc/sys/net/ipv4/neigh/default/* defaults
  Nanos retrans_time = 1 * kNanosPerSecond;
  Nanos base_reachable_time = 30 * kNanosPerSecond;
  Nanos delay_first_probe_time = 5 * kNanosPerSecond;
  int mcast_solicit = 3;
  int ucast_solicit = 3;
  std::uint32_t unres_qlen_bytes = 212992;
};

class alignas(64) NeighTable final : public EventTarget {
  // First, on the object's aligned first line with the vtable: what a lookup reads.
  SlotIndex<Neighbour> entries_;  // (device, address) → its entry, which stays put until removed

 public:
  NeighTable(Netns& ns, RandomStream rand) : ns_(ns), rand_(rand) {}

  // The entry, made the table's own first if it was shared (so it can be used, confirmed, changed).
  Neighbour* lookup(const Device* dev, wire::Ipv4Addr ip);
  Neighbour& lookup_or_create(Device* dev, wire::Ipv4Addr ip);
  // `ip neigh add|replace … nud STATE`; add fails (false) when the entry exists. A new PERMANENT
  // entry is shared (NeighPool) until something looks it up.
  bool add(Device* dev, wire::Ipv4Addr ip, wire::MacAddr mac, Nud state, bool replace);
  bool remove(const Device* dev, wire::Ipv4Addr ip);
  void remove_dev(const Device* dev);  // neigh_ifdown

  // neigh_resolve_output: send now, or queue and start resolving.
  void output(Neighbour& n, PacketPtr p);
  // neigh_update from an ARP packet: `solicited` is a reply addressed to us (→ REACHABLE).
  void update_from_arp(Neighbour& n, const wire::MacAddr& mac, bool solicited);
  // Sends the packets queued while resolving, once the entry has an address.
  void flush_queue(Neighbour& n);
  // neigh_confirm: a layer above vouches that the neighbour answers (n->confirmed = now).
  static void confirm(Neighbour& n, Nanos now) { n.confirmed = now; }

  std::vector<NeighView> dump() const;  // by device (ifindex), then address
  const NeighPool& pool() const { return shared(); }
  NeighParams params;

  void on_event(std::uint64_t cookie) override;  // neigh_timer_handler

 private:
  static std::uint64_t key(const Device* dev, wire::Ipv4Addr ip);
  void arm(Neighbour& n, Nanos delay);
  void disarm(Neighbour& n);
  void connected_output(Neighbour& n, PacketPtr p);  // neigh_hh_output
  void fail(Neighbour& n);
  Nanos reachable_time();
  NeighPool& shared() const;
  IdBits* held_on(const Device* dev);
  const IdBits* held_on(const Device* dev) const;
  std::uint32_t held_id(const Device* dev, wire::Ipv4Addr ip) const;  // NeighPool::kNone: not shared here
  Neighbour& materialize(const Device* dev, std::uint32_t id);        // a shared entry becomes the table's own

  Netns& ns_;
  RandomStream rand_;
  // Per device, the shared PERMANENT entries it holds; an address is either here or in entries_.
  std::vector<std::pair<Device*, IdBits>> held_;
};

}  // namespace ol::kernel
