#include "models/kernel/tables/vxlan_fdb.h"

#include <algorithm>
#include <optional>

namespace ol::kernel {

const VxlanFdbEntry* VxlanFdb::find(const wire::MacAddr& mac) const {
  auto it = entries_.find(mac.key());
  return it == entries_.end() ? nullptr : &it->second;
}

VxlanFdb::Result VxlanFdb::add(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  if (entries_.contains(mac.key())) return Result::Exists;
  entries_[mac.key()] = VxlanFdbEntry{mac, {dst}, true};
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::append(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  auto it = entries_.find(mac.key());
  if (it == entries_.end()) {
    entries_[mac.key()] = VxlanFdbEntry{mac, {dst}, true};
    return Result::Ok;
  }
  // vxlan_fdb_update_existing: NLM_F_APPEND adds a remote only to a multicast or all-zeros entry;
  // for a unicast MAC the entry keeps its one remote, and the command still succeeds.
  auto& e = it->second;
  if (!(mac.is_multicast() || mac.is_zero())) return Result::Ok;
  if (std::find(e.remotes.begin(), e.remotes.end(), dst) != e.remotes.end()) return Result::Ok;  // vxlan_fdb_append
  e.remotes.push_back(dst);
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::replace(const wire::MacAddr& mac, wire::Ipv4Addr dst) {
  entries_[mac.key()] = VxlanFdbEntry{mac, {dst}, true};
  return Result::Ok;
}

VxlanFdb::Result VxlanFdb::remove(const wire::MacAddr& mac, std::optional<wire::Ipv4Addr> dst) {
  auto it = entries_.find(mac.key());
  if (it == entries_.end()) return Result::NotFound;
  if (!dst) {
    entries_.erase(it);
    return Result::Ok;
  }
  auto& r = it->second.remotes;
  auto pos = std::find(r.begin(), r.end(), *dst);
  if (pos == r.end()) return Result::NotFound;
  r.erase(pos);
  if (r.empty()) entries_.erase(it);
  return Result::Ok;
}

std::vector<const VxlanFdbEntry*> VxlanFdb::dump() const {
  std::vector<const VxlanFdbEntry*> out;
  for (auto& [k, e] : entries_) out.push_back(&e);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->mac.key() < b->mac.key(); });
  return out;
}

}  // namespace ol::kernel
