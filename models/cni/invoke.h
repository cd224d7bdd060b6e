// How one plugin runs another, as the CNI library's invoke package does: the runtime's
// environment (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH), the
// network configuration on stdin, the result or an error object on stdout. A delegating plugin
// passes on the same environment with the command it is running.
//
// Every invocation is recorded with what it was given and what it printed, so a person debugging
// a node can read the calls in the order they happened (`overlaylab cni`).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cni/host_local.h"
#include "models/cni/host_view.h"
#include "models/cni/naming.h"
#include "models/cni/result.h"
#include "models/netconfig/ops.h"

namespace ol::cni {

// The invoke package's own error when no binary of that name is on CNI_PATH (not an error object
// a plugin printed: a plugin that delegates reports it as code 999).
class PluginNotFound : public CniError {
 public:
  using CniError::CniError;
};

class DhcpRpc;

struct Runtime {  // libcni's RuntimeConf, plus where the plugins run
  std::string container_id;
  std::string netns;  // the pod's namespace; CNI_NETNS is /var/run/netns/<netns>
  std::string ifname = "eth0";
  std::vector<std::pair<std::string, std::string>> args;  // CNI_ARGS, in order
  std::string host_netns;                                 // the node's namespace (the plugins' own)
  std::string netns_path() const { return "/var/run/netns/" + netns; }
};

struct Invocation {
  int depth = 0;  // 0: called by the runtime (libcni); 1: delegated by a plugin; …
  std::string plugin;
  std::string command;  // ADD, DEL, CHECK
  std::vector<std::pair<std::string, std::string>> env;
  nlohmann::json stdin_conf;
  nlohmann::json stdout_json;  // the result, an error object, or null (DEL and CHECK print nothing)
  int exit_code = 0;
  std::size_t first_command = 0, end_command = 0;  // its (and its delegates') kernel commands in `out`
  std::vector<std::string> commands;                // those commands, as `ip`/`bridge`/`sysctl` lines
};

// What the plugins touch on the node: the kernel (through HostView and the commands they emit),
// the node's files, and the directory of plugin binaries.
struct PluginHost {
  const HostView& host;
  netconfig::Files& files;
  const Naming& names;
  netconfig::NetConfig& out;
  std::vector<Invocation>* log = nullptr;
  std::string cni_path = "/opt/cni/bin";
  int depth = 0;
  // The dhcp daemon listening on a unix socket path, or null (nothing listens there).
  std::function<DhcpRpc*(const std::string& socket_path)> dial_dhcp;
  // Makes the commands issued so far take effect now (netlink acts at once; the model batches):
  // the dhcp daemon's client needs the container's interface before the ADD returns.
  std::function<void()> sync;
};

// The plugins overlaylab models, as the binaries Debian's containernetworking-plugins and
// kube-flannel install (flannel's own binary is installed by kube-flannel's init container).
const std::vector<std::string>& installed_plugins();

// invoke.ExecPluginWithResult: finds `type` on CNI_PATH and runs `command` with `conf` on stdin.
// ADD returns the printed result; DEL and CHECK return an empty one. Throws CniError: the plugin's
// error object (or the invoke package's own error when no such plugin exists).
Result exec_plugin(const std::string& type, const std::string& command, const nlohmann::json& conf,
                   const Runtime& rt, PluginHost& h);

// The environment the plugin sees, in the order the invoke package builds it.
std::vector<std::pair<std::string, std::string>> plugin_env(const std::string& command, const Runtime& rt,
                                                            const std::string& cni_path);

}  // namespace ol::cni
