// The host-local IPAM plugin (plugins/ipam/host-local): one range per network, gateway .1 skipped,
// allocation continuing after the last reserved address with wrap-around, and its store as files:
// <dataDir>/<network>/<ip> holding "<containerID>\r\n<ifname>", last_reserved_ip.0 and lock.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cni/conf.h"
#include "models/netconfig/files.h"
#include "models/wire/addr.h"

namespace ol::cni {

struct IpamResult {
  wire::Ipv4Prefix address;  // e.g. 10.244.1.2/24
  wire::Ipv4Addr gateway;
  std::vector<IpamRoute> routes;  // gateways filled in
};

class HostLocal {
 public:
  explicit HostLocal(netconfig::Files& files) : files_(files) {}
  // cmdAdd: throws CniError("no IP addresses available in range set: A-B") when the range is full.
  IpamResult add(const HostLocalConf& c, const std::string& network, const std::string& container_id,
                 const std::string& ifname);
  // cmdDel: releases what the container holds; idempotent.
  void del(const HostLocalConf& c, const std::string& network, const std::string& container_id, const std::string& ifname);

 private:
  netconfig::Files& files_;
};

struct Result;
struct Runtime;
struct PluginHost;
// The plugin binary: ADD hands out an address, DEL releases it, CHECK finds it.
Result host_local_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

}  // namespace ol::cni
