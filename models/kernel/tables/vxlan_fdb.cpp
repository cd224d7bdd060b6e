#include "models/kernel/tables/vxlan_fdb.h"

#include <algorithm>
#include <optional>

namespace ol::kernel {

bool VxlanRemotes::contains(wire::Ipv4Addr a) const {
  for (std::size_t i = 0; i < size_; ++i)
    if ((*this)[i] == a) return true;
  return false;
}

void VxlanRemotes::push_back(wire::Ipv4Addr a) {
  if (size_ == 0) first_ = a;
  else more_.push_back(a);
  ++size_;
}

bool VxlanRemotes::erase(wire::Ipv4Addr a) {
  if (size_ > 0 && first_ == a) {
    if (!more_.empty()) {
      first_ = more_.front();
      more_.erase(more_.begin());
    }
    --size_;
    return true;
  }
  auto pos = std::find(more_.begin(), more_.end(), a);
  if (pos == more_.end()) return false;
  more_.erase(pos);
  --size_;
  return true;
}

const VxlanFdbEntry* VxlanFdb::find(const wire::MacAddr& mac) const {
  const std::uint32_t* i = index_.find(mac.key());
  return i ? &entries_[*i] : nullptr;
}

void VxlanFdb::put(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  const std::uint32_t* i = index_.find(mac.key());
  const std::uint32_t slot = i ? *i : entries_.take();
  if (!i) index_.insert(mac.key(), slot);
  entries_[slot] = VxlanFdbEntry{mac, VxlanRemotes(dst), true};
}

VxlanFdb::Result VxlanFdb::add(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  if (index_.find(mac.key())) return Result::Exists;
  put(mac, dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::append(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  const std::uint32_t* i = index_.find(mac.key());
  if (!i) {
    put(mac, dst);
    return Result::Ok;
  }
  // vxlan_fdb_update_existing: NLM_F_APPEND adds a remote only to a multicast or all-zeros entry;
  // for a unicast MAC the entry keeps its one remote, and the command still succeeds.
  VxlanRemotes& r = entries_[*i].remotes;
  if (!(mac.is_multicast() || mac.is_zero())) return Result::Ok;
  if (r.contains(dst)) return Result::Ok;  // vxlan_fdb_append
  r.push_back(dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::replace(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  put(mac, dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::remove(const wire::MacAddr& mac, std::optional<wire::Ipv4Addr> dst) {
  const std::uint32_t* i = index_.find(mac.key());
  if (!i) return Result::NotFound;
  const std::uint32_t slot = *i;
  if (dst && !entries_[slot].remotes.erase(*dst)) return Result::NotFound;
  if (!dst || entries_[slot].remotes.empty()) {
    index_.erase(mac.key());
    entries_.give_back(slot);
  }
  return Result::Ok;
}

std::vector<const VxlanFdbEntry*> VxlanFdb::dump() const {
  // Sorted by MAC through the index's keys, which are the MACs: a sort that dereferenced each
  // entry missed the cache on every comparison of a 5,000-entry table.
  std::vector<const VxlanFdbEntry*> out;
  for (std::uint32_t i : index_.values_by_key()) out.push_back(&entries_[i]);
  return out;
}

}  // namespace ol::kernel
