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
  if (const std::uint32_t* i = index_.find(mac.key())) return &entries_[*i];
  if (held_.empty()) return nullptr;
  const std::uint32_t id = held(mac);
  return id == VxlanFdbPool::kNone ? nullptr : &(*shared_)[id];
}

VxlanFdbEntry& VxlanFdb::own(const wire::MacAddr& mac) {
  if (const std::uint32_t* i = index_.find(mac.key())) return entries_[*i];
  const std::uint32_t slot = entries_.take();
  index_.insert(mac.key(), slot);
  const std::uint32_t id = held(mac);
  if (id != VxlanFdbPool::kNone) {
    entries_[slot] = (*shared_)[id];
    held_.reset(id);
  }
  return entries_[slot];
}

void VxlanFdb::put(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  if (const std::uint32_t* i = index_.find(mac.key())) {
    entries_.give_back(*i);
    index_.erase(mac.key());
  }
  const std::uint32_t old = held(mac);
  if (old != VxlanFdbPool::kNone) held_.reset(old);
  held_.set(shared_->intern(mac.key(), VxlanFdbEntry{mac, VxlanRemotes(dst), true}));
}

VxlanFdb::Result VxlanFdb::add(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  if (find(mac)) return Result::Exists;
  put(mac, dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::append(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  const VxlanFdbEntry* e = find(mac);
  if (!e) {
    put(mac, dst);
    return Result::Ok;
  }
  // vxlan_fdb_update_existing: NLM_F_APPEND adds a remote only to a multicast or all-zeros entry;
  // for a unicast MAC the entry keeps its one remote, and the command still succeeds.
  if (!(mac.is_multicast() || mac.is_zero())) return Result::Ok;
  if (e->remotes.contains(dst)) return Result::Ok;  // vxlan_fdb_append
  own(mac).remotes.push_back(dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::replace(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  put(mac, dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::remove(const wire::MacAddr& mac, std::optional<wire::Ipv4Addr> dst) {
  const VxlanFdbEntry* e = find(mac);
  if (!e) return Result::NotFound;
  if (dst && !e->remotes.contains(*dst)) return Result::NotFound;
  const std::uint32_t* i = index_.find(mac.key());
  if (!i) {  // a shared entry has one remote: it goes
    held_.reset(held(mac));
    return Result::Ok;
  }
  const std::uint32_t slot = *i;
  if (dst) entries_[slot].remotes.erase(*dst);
  if (!dst || entries_[slot].remotes.empty()) {
    index_.erase(mac.key());
    entries_.give_back(slot);
  }
  return Result::Ok;
}

std::vector<const VxlanFdbEntry*> VxlanFdb::dump(std::vector<std::uint32_t>* shared_ids) const {
  // Sorted by MAC through the keys, which are the MACs: a sort that dereferenced each entry
  // missed the cache on every comparison of a 5,000-entry table.
  struct Held {
    std::uint64_t mac;
    const VxlanFdbEntry* e;
    std::uint32_t id;  // in the pool, or kNone
    bool operator<(const Held& o) const { return mac < o.mac; }
  };
  std::vector<Held> order;
  order.reserve(index_.size() + held_.size());
  index_.for_each([&](std::uint64_t k, std::uint32_t i) { order.push_back({k, &entries_[i], VxlanFdbPool::kNone}); });
  std::sort(order.begin(), order.end());
  const auto own = std::ptrdiff_t(order.size());
  shared_->for_each_held_in_order(held_, [](std::uint64_t mac) { return mac; },
                                  [&](std::uint32_t id) { order.push_back({shared_->key_of(id), &(*shared_)[id], id}); });
  std::inplace_merge(order.begin(), order.begin() + own, order.end());  // a MAC is in one or the other
  std::vector<const VxlanFdbEntry*> out;
  out.reserve(order.size());
  if (shared_ids) shared_ids->clear(), shared_ids->reserve(order.size());
  for (const Held& h : order) {
    out.push_back(h.e);
    if (shared_ids) shared_ids->push_back(h.id);
  }
  return out;
}

}  // namespace ol::kernel
