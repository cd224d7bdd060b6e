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

bool LeaseStore::create(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs) {
  auto [it, fresh] = leases_.try_emplace(subnet_key(subnet));
  if (!fresh) return false;
  it->second = Lease{subnet, attrs, sim_.now() + kLeaseTtl};
  if (attrs.backend_data.is_object() && attrs.backend_data.contains("VtepMAC"))
    it->second.attrs.vtep_mac = wire::MacAddr::parse(attrs.backend_data["VtepMAC"].get<std::string>());
  taken_.insert(subnet.addr.v);
  publish(LeaseEventType::Added, it->second);
  return true;
}

bool LeaseStore::remove(const wire::Ipv4Prefix& subnet) {
  auto it = leases_.find(subnet_key(subnet));
  if (it == leases_.end()) return false;
  Lease l = it->second;
  leases_.erase(it);
  taken_.erase(subnet.addr.v);
  publish(LeaseEventType::Removed, l);
  return true;
}

const Lease* LeaseStore::find(const wire::Ipv4Prefix& subnet) const {
  auto it = leases_.find(subnet_key(subnet));
  return it == leases_.end() ? nullptr : &it->second;
}

std::vector<const Lease*> LeaseStore::list() const {
  std::vector<const Lease*> out;
  out.reserve(leases_.size());
  for (const auto& [k, l] : leases_) out.push_back(&l);
  return out;
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
  batches_.back().changes.push_back({type, l, ++revision_});
}

void LeaseStore::on_event(std::uint64_t cookie) {
  const std::vector<LeaseEvent> batch = std::move(batches_[cookie].changes);
  batches_[cookie].changes.clear();
  // A watcher may be added while delivering (a node starting): index, do not iterate. Each
  // watcher gets the changes after the revision it listed.
  for (std::size_t i = 0; i < watchers_.size(); ++i) {
    if (!watchers_[i].active) continue;
    auto first = std::partition_point(batch.begin(), batch.end(),
                                      [&](const LeaseEvent& e) { return e.revision <= watchers_[i].since; });
    if (first != batch.end()) watchers_[i].fn(std::span<const LeaseEvent>(&*first, std::size_t(batch.end() - first)));
  }
}

std::string LeaseStore::dump() const {
  std::string out;
  if (!config_.empty()) out += fmt::format("{}/config\n{}\n", kEtcdPrefix, config_);
  for (const auto& [k, l] : leases_) out += k + "\n" + lease_value(l.attrs) + "\n";
  return out;
}

}  // namespace ol::flannel
