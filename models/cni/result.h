// A CNI result (the spec's "Success" object: interfaces, ips, routes, dns) and the error object,
// printed as the plugins print them for the cniVersion they were given. 0.3.0 / 0.3.1 / 0.4.0 share
// one shape (each ip carries "version": "4"); 1.0.0 drops "version". Keys are sorted, as Go's
// encoding/json sorts a map (the reference plugins print an ordered struct; the values agree).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cni/host_local.h"
#include "models/wire/addr.h"

namespace ol::cni {

struct ResultInterface {
  std::string name;
  std::string mac;
  std::string sandbox;  // set for an interface inside the container: CNI_NETNS
};

struct ResultIp {
  wire::Ipv4Prefix address;
  std::optional<wire::Ipv4Addr> gateway;
  std::optional<int> interface;  // index into interfaces
};

struct ResultRoute {
  wire::Ipv4Prefix dst;
  std::optional<wire::Ipv4Addr> gw;
};

struct Result {
  std::vector<ResultInterface> interfaces;
  std::vector<ResultIp> ips;
  std::vector<ResultRoute> routes;
};

nlohmann::json result_json(const Result& r, const std::string& cni_version);
// A prevResult (any supported version) read back; throws CniError(6) when it is not one.
Result parse_result(const nlohmann::json& j);

// What an IPAM plugin's result becomes: its ips (no interface yet) and its routes, gateway absent
// where the configuration gave none.
Result ipam_result(const IpamResult& r, const std::vector<IpamRoute>& configured);

// {"code": …, "msg": …} as skel prints it when a plugin fails.
nlohmann::json error_json(const CniError& e);

}  // namespace ol::cni
