// What the topology view draws and the tables inspector lists, from a converged session: each
// node's devices, each pod's namespace and devices, and every namespace's tables with, for each
// entry, the command and the component that created it (or the kernel behaviour that did).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/spec.h"

namespace ol::gui {

struct TableRow {
  std::string text;       // as ip/bridge print it
  std::string command;    // the command that made it ("" when the kernel did it on its own)
  std::string component;  // "CNI bridge", "flanneld vxlan backend", …, or "kernel: …"
};

struct Table {
  std::string title;  // "ip link", "ip addr", "ip route", "ip route show table local", "ip neigh", "bridge fdb"
  std::vector<TableRow> rows;
};

struct NamespacePicture {
  std::string name, node;  // a node's own namespace has name == node
  bool is_pod = false;
  std::vector<std::string> devices;  // in creation order, lo left out
  std::map<std::string, std::string> kind;       // device → "veth", "bridge", "tun", "vxlan"
  std::map<std::string, std::string> veth_peer;  // veth device → "netns/device" of its other end
  std::map<std::string, std::string> master;     // bridge port → its bridge
  std::vector<Table> tables;
};

struct ClusterPicture {
  std::vector<NamespacePicture> namespaces;
  const NamespacePicture* find(const std::string& name) const;
};

// `edits`: what-if commands applied once the cluster has settled (see cluster::apply_edits).
ClusterPicture picture_cluster(const scenario::Scenario& s, scenario::Backend mode, const std::vector<std::string>& edits = {});

// The command that deletes a route, neighbour or FDB row of `ns` as `table` printed it ("ip route",
// "ip neigh", "bridge fdb"), for a what-if; nullopt for rows no single command removes (links,
// addresses, the local table's kernel routes).
std::optional<std::string> delete_command(const std::string& ns, const std::string& table, const std::string& row);

// The command that writes the row as it is (`ip route replace …`, `ip neigh replace … nud STATE`,
// `bridge fdb replace …`): a what-if starts from it and changes a field (another gateway, MAC or
// remote). nullopt where delete_command has none.
std::optional<std::string> change_command(const std::string& ns, const std::string& table, const std::string& row);

}  // namespace ol::gui
