#include "models/flannel/lease_store.h"

#include <algorithm>

#include <fmt/format.h>

namespace ol::flannel {

std::string subnet_key(const wire::Ipv4Prefix& s) {
  return fmt::format("{}/subnets/{}-{}", kEtcdPrefix, s.network().str(), s.len);
}

std::string lease_value(const LeaseAttrs& a) {
  nlohmann::ordered_json j;  // flanneld's LeaseAttrs field order
  j["PublicIP"] = a.public_ip.str();
  j["BackendType"] = a.backend_type;
  if (!a.backend_data.is_null()) j["BackendData"] = a.backend_data;
  return j.dump();
}

std::vector<ListedLease>::iterator LeaseStore::listed_at(const std::string& key) {
  return std::lower_bound(listed_.begin(), listed_.end(), key, [](const ListedLease& l, const std::string& k) { return *l.key < k; });
}

Lease& LeaseStore::store(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs, Lease& slot) {
  slot = Lease{subnet, attrs, sim_.now() + ttl_};
  if (attrs.backend_data.is_object() && attrs.backend_data.contains("VtepMAC"))
    slot.attrs.vtep_mac = wire::MacAddr::parse(attrs.backend_data["VtepMAC"].get<std::string>());
  if (!expiry_.armed()) expiry_.arm(slot.expiration);  // every key lives as long: the earliest stays first
  return slot;
}

bool LeaseStore::create(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs) {
  if (!reachable_) return false;
  auto [it, fresh] = leases_.try_emplace(subnet_key(subnet));
  if (!fresh) return false;
  store(subnet, attrs, it->second);
  listed_.insert(listed_at(it->first), listed_of(it->first, it->second));
  taken_.insert(subnet.addr.v);
  by_ip_[attrs.public_ip.v] = it->first;
  publish(LeaseEventType::Added, it->second);
  return true;
}

bool LeaseStore::update(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs) {
  if (!reachable_) return false;
  auto it = leases_.find(subnet_key(subnet));
  if (it == leases_.end()) return false;
  *listed_at(it->first) = listed_of(it->first, store(subnet, attrs, it->second));
  publish(LeaseEventType::Added, it->second);
  return true;
}

const Lease* LeaseStore::find_by_ip(wire::Ipv4Addr ip) const {
  auto it = by_ip_.find(ip.v);
  if (it == by_ip_.end()) return nullptr;
  auto l = leases_.find(it->second);
  return l == leases_.end() ? nullptr : &l->second;
}

void LeaseStore::expire() {
  std::vector<wire::Ipv4Prefix> gone;
  for (const auto& [k, l] : leases_)
    if (l.expiration <= sim_.now()) gone.push_back(l.subnet);
  for (const auto& sn : gone) {
    if (log) log(fmt::format("{} expired (TTL {} s, not renewed)", subnet_key(sn), ttl_ / kNanosPerSecond));
    remove_key(sn);
  }
  arm_expiry();
}

void LeaseStore::arm_expiry() {
  std::optional<Nanos> next;
  for (const auto& [k, l] : leases_)
    if (!next || l.expiration < *next) next = l.expiration;
  if (next) expiry_.arm(*next);
}

void LeaseStore::set_reachable(bool up) {
  if (up == reachable_) return;
  reachable_ = up;
  if (up && !held_.empty()) {  // the watches reconnect from their last revision: the backlog, at once
    batches_.push_back({sim_.now() + watch_delay_, std::move(held_)});
    held_.clear();
    sim_.at(batches_.back().due, this, batches_.size() - 1);
  }
}

bool LeaseStore::remove(const wire::Ipv4Prefix& subnet) { return reachable_ && remove_key(subnet); }

bool LeaseStore::remove_key(const wire::Ipv4Prefix& subnet) {
  auto it = leases_.find(subnet_key(subnet));
  if (it == leases_.end()) return false;
  Lease l = it->second;
  if (auto ip = by_ip_.find(l.attrs.public_ip.v); ip != by_ip_.end() && ip->second == it->first) by_ip_.erase(ip);
  listed_.erase(listed_at(it->first));
  leases_.erase(it);
  taken_.erase(subnet.addr.v);
  publish(LeaseEventType::Removed, l);
  return true;
}

const Lease* LeaseStore::find(const wire::Ipv4Prefix& subnet) const {
  auto it = leases_.find(subnet_key(subnet));
  return it == leases_.end() ? nullptr : &it->second;
}

std::size_t LeaseStore::watch(std::uint64_t since, Watcher w) {
  watchers_.push_back({since, std::move(w), true});
  return watchers_.size() - 1;
}

void LeaseStore::unwatch(std::size_t id) {
  watchers_[id].active = false;
  watchers_[id].fn = nullptr;
}

void LeaseStore::publish(LeaseEventType type, const Lease& l) {
  const Nanos due = sim_.now() + watch_delay_;
  if (batches_.empty() || batches_.back().due != due || batches_.back().changes.empty()) {
    batches_.push_back({due, {}});
    sim_.at(due, this, batches_.size() - 1);
  }
  batches_.back().changes.push_back({type, l, ++revision_, sim_.now()});
}

void LeaseStore::on_event(std::uint64_t cookie) {
  if (cookie & kFanoutCookie) return fan_out(std::size_t(cookie & ~kFanoutCookie));
  std::vector<LeaseEvent> batch = std::move(batches_[cookie].changes);
  batches_[cookie].changes.clear();
  if (!reachable_) {  // the response never reaches the nodes: they will catch up on reconnecting
    held_.insert(held_.end(), batch.begin(), batch.end());
    return;
  }
  deliver(std::move(batch));
}

void LeaseStore::deliver_to(std::size_t i, const std::vector<LeaseEvent>& batch) {
  // Each watcher gets the changes after the revision it listed.
  auto first = std::partition_point(batch.begin(), batch.end(), [&](const LeaseEvent& e) { return e.revision <= watchers_[i].since; });
  if (first != batch.end()) watchers_[i].fn(std::span<const LeaseEvent>(&*first, std::size_t(batch.end() - first)));
}

void LeaseStore::deliver(std::vector<LeaseEvent> batch) {
  if (fanout_per_watcher > 0) {
    fanouts_.push_back({std::move(batch), 0});
    sim_.at(sim_.now() + fanout_per_watcher, this, kFanoutCookie | (fanouts_.size() - 1));
    return;
  }
  // A watcher may be added while delivering (a node starting): index, do not iterate.
  for (std::size_t i = 0; i < watchers_.size(); ++i)
    if (watchers_[i].active) deliver_to(i, batch);
}

// One watcher's response has been written; the next one's takes another fanout_per_watcher. A
// watcher that started after the batch was taken listed a later revision and skips it.
void LeaseStore::fan_out(std::size_t f) {
  std::size_t i = fanouts_[f].next_watcher;
  while (i < watchers_.size() && !watchers_[i].active) ++i;
  if (i < watchers_.size()) deliver_to(i, fanouts_[f].changes);
  std::size_t next = i + 1;
  while (next < watchers_.size() && !watchers_[next].active) ++next;
  fanouts_[f].next_watcher = next;
  if (next < watchers_.size()) {
    sim_.at(sim_.now() + fanout_per_watcher, this, kFanoutCookie | f);
  } else {
    fanouts_[f].changes.clear();
    fanouts_[f].changes.shrink_to_fit();
  }
}

std::string LeaseStore::dump() const {
  std::string out;
  if (!config_.empty()) out += fmt::format("{}/config\n{}\n", kEtcdPrefix, config_);
  for (const auto& [k, l] : leases_) out += k + "\n" + lease_value(l.attrs) + "\n";
  return out;
}

}  // namespace ol::flannel
