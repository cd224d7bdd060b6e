// A VXLAN device's forwarding database (drivers/net/vxlan/vxlan_core.c): inner destination MAC →
// remote VTEPs. `bridge fdb append` adds another remote to a MAC; the all-zeros MAC is the default
// entry used when the destination is unknown.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "models/kernel/tables/id_bits.h"
#include "models/kernel/tables/key_index.h"
#include "models/kernel/tables/shared_entries.h"
#include "models/kernel/tables/slot_store.h"
#include "models/wire/addr.h"

namespace ol::kernel {

// An entry's remote VTEPs (struct vxlan_rdst list). A unicast MAC has exactly one, so the first is
// held in place and only an all-zeros or multicast entry's further remotes take heap storage.
class VxlanRemotes {
 public:
  VxlanRemotes() = default;
  explicit VxlanRemotes(wire::Ipv4Addr first) : first_(first), size_(1) {}
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  wire::Ipv4Addr operator[](std::size_t i) const { return i == 0 ? first_ : more_[i - 1]; }
  bool contains(wire::Ipv4Addr a) const;
  void push_back(wire::Ipv4Addr a);
  bool erase(wire::Ipv4Addr a);  // false: not a remote of this entry
  bool operator==(const VxlanRemotes& o) const { return size_ == o.size_ && first_ == o.first_ && more_ == o.more_; }

 private:
  wire::Ipv4Addr first_{};
  std::uint32_t size_ = 0;
  std::vector<wire::Ipv4Addr> more_;  // remotes 2, 3, …
};

struct VxlanFdbEntry {
  wire::MacAddr mac;
  VxlanRemotes remotes;
  bool permanent = true;
  bool operator==(const VxlanFdbEntry&) const = default;
};

// Entries with one remote, shared by every VXLAN device of a World that holds them (keyed by MAC).
using VxlanFdbPool = SharedEntries<VxlanFdbEntry>;

class VxlanFdb {
 public:
  enum class Result { Ok, Exists, NotFound };

  explicit VxlanFdb(VxlanFdbPool& shared) : shared_(&shared) {}

  const VxlanFdbEntry* find(const wire::MacAddr& mac) const;
  Result add(const wire::MacAddr& mac, wire::Ipv4Addr dst);      // NLM_F_EXCL
  Result append(const wire::MacAddr& mac, wire::Ipv4Addr dst);   // NLM_F_APPEND
  Result replace(const wire::MacAddr& mac, wire::Ipv4Addr dst);  // NLM_F_REPLACE
  Result remove(const wire::MacAddr& mac, std::optional<wire::Ipv4Addr> dst);
  // `shared_ids`, when given, gets each entry's id in the pool (VxlanFdbPool::kNone: the device's own).
  std::vector<const VxlanFdbEntry*> dump(std::vector<std::uint32_t>* shared_ids = nullptr) const;
  const VxlanFdbPool& pool() const { return *shared_; }

 private:
  void put(const wire::MacAddr& mac, wire::Ipv4Addr dst);  // a new entry, or the existing one replaced
  std::uint32_t held(const wire::MacAddr& mac) const { return shared_->held(mac.key(), held_); }
  VxlanFdbEntry& own(const wire::MacAddr& mac);  // the entry, copied out of the shared pool if it is there

  // An entry with one remote is in the pool and marked in held_; only one that gains a second
  // remote (the all-zeros default, a multicast group) is the device's own. A MAC is in one or the other.
  VxlanFdbPool* shared_;
  IdBits held_;
  SlotStore<VxlanFdbEntry> entries_;
  KeyIndex index_;  // MAC → its slot in entries_
};

}  // namespace ol::kernel
