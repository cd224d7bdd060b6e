// flanneld's subnet manager: picking a lease (pkg/subnet/etcd/local_manager.go allocateSubnet) and
// writing /run/flannel/subnet.env.
#pragma once
#include <optional>
#include <string>

#include "models/flannel/lease_store.h"
#include "models/flannel/net_conf.h"
#include "sim/random.h"

namespace ol::flannel {

// The first 100 free subnets from SubnetMin up to SubnetMax, then one at random among them; nullopt
// is flanneld's "out of subnets".
std::optional<Ipv4Prefix> allocate_subnet(const NetConf& conf, const LeaseStore& store, RandomStream& rand);

// FLANNEL_NETWORK, FLANNEL_SUBNET (the lease's first address), FLANNEL_MTU, FLANNEL_IPMASQ.
std::string subnet_env(const NetConf& conf, const Ipv4Prefix& lease, int mtu, bool ipmasq);

}  // namespace ol::flannel
