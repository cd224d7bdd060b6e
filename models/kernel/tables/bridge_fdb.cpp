#include "models/kernel/tables/bridge_fdb.h"

#include <algorithm>

namespace ol::kernel {

const FdbEntry* BridgeFdb::find(const wire::MacAddr& mac, Nanos now) const {
  auto it = entries_.find(mac.key());
  if (it == entries_.end()) return nullptr;
  const FdbEntry& e = it->second;
  if (!e.is_local && !e.is_static && now - e.updated > ageing_time) return nullptr;  // has_expired()
  return &e;
}

void BridgeFdb::learn(const wire::MacAddr& mac, Device* port, Nanos now) {
  auto [it, inserted] = entries_.try_emplace(mac.key(), FdbEntry{mac, port, false, false, now});
  FdbEntry& e = it->second;
  if (inserted || e.is_local || e.is_static) return;
  e.port = port;
  e.updated = now;
}

void BridgeFdb::add_local(const wire::MacAddr& mac, Device* dev) {
  entries_[mac.key()] = FdbEntry{mac, dev, true, true, 0};
}

void BridgeFdb::remove_port(const Device* port) {
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.port == port; });
}

void BridgeFdb::remove_local(const wire::MacAddr& mac, const Device* dev) {
  auto it = entries_.find(mac.key());
  if (it != entries_.end() && it->second.is_local && it->second.port == dev) entries_.erase(it);
}

std::vector<const FdbEntry*> BridgeFdb::dump(Nanos now) const {
  std::vector<const FdbEntry*> out;
  for (auto& [k, e] : entries_)
    if (e.is_local || e.is_static || now - e.updated <= ageing_time) out.push_back(&e);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->mac < b->mac; });
  return out;
}

}  // namespace ol::kernel
