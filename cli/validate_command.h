// overlaylab validate and calibrate: the real-namespace check and the cost fit (need root).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace ol::cli {

struct ValidateCliOptions {
  std::string file;
  std::string mode = "all";
  bool cleanup = false;
  bool keep = false;
  bool cni = false;  // the CNI cross-check instead
  std::string perturb;  // a node: drop one of its VXLAN FDB entries on the simulated side
  std::string crash;    // a node: crash and restart its flanneld on both sides, and compare
  std::string pcap_dir;  // keep the path check's captures
  int sample = 0;        // path-check this many pod pairs instead of the scenario's ping pairs
};
int cmd_validate(const ValidateCliOptions& o);

struct CalibrateCliOptions {
  std::string file;
  std::string mode = "all";
  std::optional<std::string> out;  // default results/calibration/<scenario>/
  std::optional<int> seconds;  // default 2 (iperf3), 1 (--steps)
  int iterations = 10;
  bool steps = false;
  std::optional<std::string> profile;  // the base profile instead of the built-in one
  std::optional<int> repeat;  // default 3 with --steps, 1 without
  std::string argv;  // the command as typed, recorded in a --steps profile
};
int cmd_calibrate(const CalibrateCliOptions& o);

struct UdpdCliOptions {
  std::string tun = "flannel0";
  std::string bind;      // IP[:PORT], port 8285 by default
  std::string tun_addr;  // the source of the ICMP errors it writes into the TUN
  std::vector<std::string> routes;  // SUBNET=IP[:PORT], first match wins
  bool own_tun = false;
};
int cmd_udpd(const UdpdCliOptions& o);

}  // namespace ol::cli
