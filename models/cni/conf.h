// CNI configuration as the runtime and the plugins parse it, before anything runs: the conf dir
// and its lists (libcni's rules), host-local's ipam section, the spec versions, the error object.
// The scenario loader checks a scenario's CNI configuration with exactly these rules.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/wire/addr.h"

namespace ol::cni {

struct CniConf {  // kube-flannel's 10-flannel.conflist, reduced to what changes the kernel
  std::string network = "cbr0";
  std::string cni_version = "0.3.1";
  std::string bridge = "cni0";
  bool hairpin = true;
  bool is_default_gateway = true;
  bool is_gateway = true;
  std::optional<int> mtu;  // a delegate "mtu" wins over FLANNEL_MTU (the plugin only fills in what is absent)
  bool portmap = true;  // present in the list; it programs iptables only, which overlaylab leaves out
  nlohmann::json verbatim;
  // /etc/cni/net.d on every node: file name → contents. "cni-conf.json" is 10-flannel.conflist
  // (kube-flannel's install-cni copies it there); "cni_conf_dir" adds or replaces files.
  std::map<std::string, std::string> conf_dir;
};

// A CNI error result: the plugin prints {"code": …, "msg": …} and exits non-zero.
class CniError : public std::runtime_error {
 public:
  CniError(int code, const std::string& msg, std::string details = {})
      : std::runtime_error(msg), code(code), details(std::move(details)) {}
  // The spec's codes: 1 incompatible version, 4 invalid environment, 6 decoding failure,
  // 7 invalid network config, 11 try again later (resources exhausted), 999 internal (any other).
  int code;
  std::string details;
};

// The versions the reference plugins (v1.1) and libcni accept.
bool supported_version(const std::string& v);
bool version_at_least(const std::string& v, const std::string& floor);  // "0.4.0" >= "0.3.1"

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

// The "ipam" section as host-local reads it: the first range of "ranges" (or the older "subnet",
// "rangeStart", "rangeEnd", "gateway" keys), "routes" and "dataDir". Throws CniError(7) when the
// section names no subnet or a value is not an address.
HostLocalConf host_local_conf(const nlohmann::json& ipam);

inline constexpr const char* kConfDir = "/etc/cni/net.d";

struct ConfList {
  std::string file;  // where it was read, e.g. /etc/cni/net.d/10-flannel.conflist
  std::string name;
  std::string cni_version;
  bool disable_check = false;
  std::vector<nlohmann::json> plugins;
};

// A configuration that libcni refuses, with its reason ("error parsing configuration list: no name").
class ConfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// NetworkConfFromBytes (.conflist) or ConfFromBytes + ConfListFromConf (.conf, .json).
ConfList conf_list_from_text(const std::string& text, const std::string& file);

struct ConfDirChoice {
  std::optional<ConfList> chosen;
  std::vector<std::string> skipped;  // "<file>: <why>" for every file passed over before it
};
// `files` maps a file name in the conf dir to its contents.
ConfDirChoice choose_conf(const std::map<std::string, std::string>& files, const std::string& dir = kConfDir);

}  // namespace ol::cni
