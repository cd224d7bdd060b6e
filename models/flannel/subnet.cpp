#include "models/flannel/subnet.h"

#include <vector>

#include <fmt/format.h>

namespace ol::flannel {

std::optional<Ipv4Prefix> allocate_subnet(const NetConf& conf, const LeaseStore& store, RandomStream& rand) {
  const std::uint64_t step = std::uint64_t(1) << (32 - conf.subnet_len);
  std::vector<std::uint32_t> bag;
  bag.reserve(100);
  for (std::uint64_t a = conf.subnet_min.v; a <= conf.subnet_max.v && bag.size() < 100; a += step)
    if (!store.taken({{std::uint32_t(a)}, conf.subnet_len})) bag.push_back(std::uint32_t(a));
  if (bag.empty()) return std::nullopt;
  return Ipv4Prefix{{bag[rand.below(bag.size())]}, conf.subnet_len};
}

std::string subnet_env(const NetConf& conf, const Ipv4Prefix& lease, int mtu, bool ipmasq) {
  return fmt::format("FLANNEL_NETWORK={}\nFLANNEL_SUBNET={}/{}\nFLANNEL_MTU={}\nFLANNEL_IPMASQ={}\n", conf.network.str(),
                     wire::Ipv4Addr{lease.network().v + 1}.str(), lease.len, mtu, ipmasq ? "true" : "false");
}

}  // namespace ol::flannel
