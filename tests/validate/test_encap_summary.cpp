// The path check's packet summaries, read from the simulator's own captures: what the comparison
// with the kernel's captures looks at, for each mode's encapsulation.
#include <unistd.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "models/scenario/load.h"
#include "runner/run.h"
#include "validate/encap_summary.h"

using namespace ol;

namespace {

std::vector<std::string> captured(const std::string& scenario, scenario::Backend mode, const std::string& file) {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/" + scenario + ".json");
  s.workloads.resize(1);  // the first ping workload only
  s.workloads[0].count = 1;
  // Its own directory: CTest runs the test cases as parallel processes.
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("ol-test-encap-" + std::to_string(::getpid()) + "-" + file)).string();
  std::filesystem::remove_all(dir);
  runner::RunOptions o;
  o.pcap_dir = dir;
  runner::run_mode(s, mode, o);
  auto lines = validate::summarize_pcap(dir + "/" + scenario::backend_name(mode) + "/" + file, {});
  std::filesystem::remove_all(dir);
  return lines;
}

}  // namespace

TEST_CASE("a vxlan echo on the underlay: outer addresses, flannel's port 8472, VNI 1, the VTEP MACs, inner TTL 63") {
  const auto lines = captured("two-nodes", scenario::Backend::Vxlan, "node-1-eth0.pcap");
  REQUIRE(lines.size() >= 2);
  CHECK_THAT(lines[0], Catch::Matches("[0-9a-f:]{17} > [0-9a-f:]{17} 192.168.100.11 > 192.168.100.12 ttl 64 len 134 "
                                      "udp 32768-60999 > 8472 len 114 \\| vxlan vni 1 \\| [0-9a-f:]{17} > [0-9a-f:]{17} "
                                      "10.244.1.2 > 10.244.2.2 ttl 63 len 84 DF icmp echo-request"));
  CHECK_THAT(lines[1], Catch::Contains("192.168.100.12 > 192.168.100.11 ttl 64 len 134") &&
                           Catch::EndsWith("10.244.2.2 > 10.244.1.2 ttl 63 len 84 icmp echo-reply"));
}

TEST_CASE("a udp-backend echo: UDP 8285 to 8285 around the bare IP packet, whose TTL the proxy lowered to 62") {
  const auto lines = captured("two-nodes", scenario::Backend::Udp, "node-1-eth0.pcap");
  REQUIRE(!lines.empty());
  CHECK_THAT(lines[0], Catch::EndsWith("192.168.100.11 > 192.168.100.12 ttl 64 len 112 DF udp 8285 > 8285 len 92 | "
                                       "10.244.1.2 > 10.244.2.2 ttl 62 len 84 DF icmp echo-request"));
}

TEST_CASE("the TUN's capture is raw IP (no Ethernet header)") {
  const auto lines = captured("two-nodes", scenario::Backend::Udp, "node-1-flannel0.pcap");
  REQUIRE(!lines.empty());
  CHECK(lines[0] == "10.244.1.2 > 10.244.2.2 ttl 63 len 84 DF icmp echo-request");
}

TEST_CASE("host-gw: no encapsulation, the pod's packet routed with TTL 63") {
  const auto lines = captured("two-nodes", scenario::Backend::HostGw, "node-1-eth0.pcap");
  REQUIRE(!lines.empty());
  CHECK_THAT(lines[0], Catch::EndsWith(" 10.244.1.2 > 10.244.2.2 ttl 63 len 84 DF icmp echo-request"));
}

TEST_CASE("a fragment after the first is summarised by its offset, not read as an ICMP header") {
  // IPv4, 20-byte header, total 40, MF clear, offset 1480 bytes (185 × 8), protocol ICMP.
  const std::uint8_t raw[40] = {0x45, 0, 0, 40, 0, 1, 0x00, 185, 63, 1, 0, 0, 10, 244, 1, 2, 10, 244, 2, 2, 0xde, 0xad};
  CHECK(validate::summarize_frame(raw, sizeof raw, 12 /*DLT_RAW*/, {}) ==
        "10.244.1.2 > 10.244.2.2 ttl 63 len 40 fragment offset 1480 proto 1");
}

TEST_CASE("a capture that cannot be read is named in the error") {
  CHECK_THROWS_WITH(validate::summarize_pcap("/nonexistent/x.pcap", {}), Catch::StartsWith("/nonexistent/x.pcap: "));
}
