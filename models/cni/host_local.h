// The host-local IPAM plugin (plugins/ipam/host-local): one range per network, gateway .1 skipped,
// allocation continuing after the last reserved address with wrap-around, and its store as files:
// <dataDir>/<network>/<ip> holding "<containerID>\r\n<ifname>", last_reserved_ip.0 and lock.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/netconfig/files.h"
#include "models/wire/addr.h"

namespace ol::cni {

// A CNI error result: the plugin prints {"code": …, "msg": …} and exits non-zero.
class CniError : public std::runtime_error {
 public:
  CniError(int code, const std::string& msg) : std::runtime_error(msg), code(code) {}
  int code;  // 11: "try again later" (resources exhausted), 999 other
};

struct IpamRoute {
  wire::Ipv4Prefix dst;
  std::optional<wire::Ipv4Addr> gw;  // absent: the range's gateway
};

struct HostLocalConf {
  wire::Ipv4Prefix subnet;
  std::optional<wire::Ipv4Addr> range_start, range_end, gateway;
  std::vector<IpamRoute> routes;
  std::string data_dir = "/var/lib/cni/networks";
};

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

}  // namespace ol::cni
