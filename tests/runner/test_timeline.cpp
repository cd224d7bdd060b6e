// The timeline of flanneld-restart.json, per mode: what a flanneld crash costs each backend,
// bin by bin (the picture `compare --timeline-svg` draws).
#include <catch2/catch.hpp>

#include "models/scenario/load.h"
#include "runner/run.h"
#include "runner/timeline_chart.h"

using namespace ol;

namespace {

const scenario::Scenario& restart() {
  static const scenario::Scenario s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/flanneld-restart.json");
  return s;
}

// Delivered packets of flow 0 (1000 UDP datagrams a second) per 100 ms bin, from `from` s to `to` s.
std::vector<std::uint64_t> delivered(const runner::RunResult& r, double from, double to) {
  std::vector<std::uint64_t> out;
  for (const auto& row : r.timeline)
    if (row.flow == 0 && row.t_s >= from - 1e-9 && row.t_s < to - 1e-9) out.push_back(row.delivered);
  return out;
}

using Bins = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("the timeline CSV: documented columns, a row per flow and bin, sent and delivered by their own times") {
  const auto r = runner::run_mode(restart(), scenario::Backend::HostGw, {});
  const std::string csv = runner::timeline_csv(r.timeline);
  CHECK_THAT(csv, Catch::StartsWith("scenario,mode,seed,flow,t_s,sent,delivered\n"
                                    "flanneld-restart,host-gw,1,0,0.000,0,0\n"));
  CHECK_THAT(csv, Catch::Contains("flanneld-restart,host-gw,1,0,1.000,100,100\n"));
  CHECK_THAT(csv, Catch::Contains("flanneld-restart,host-gw,1,1,1.000,1,1\n"));  // the ping, every 100 ms
  CHECK(delivered(r, 0.6, 8.5) == Bins(79, 100));  // host-gw never notices flanneld
  runner::RunOptions seconds;
  seconds.timeline_bin = kNanosPerSecond;
  const auto coarse = runner::run_mode(restart(), scenario::Backend::HostGw, seconds);
  CHECK(delivered(coarse, 1, 8) == Bins(7, 1000));
}

TEST_CASE("flanneld crash: udp delivers nothing while its proxy is down, vxlan loses only the watch delay after a new MAC") {
  const auto udp = runner::run_mode(restart(), scenario::Backend::Udp, {});
  CHECK(delivered(udp, 1, 2) == Bins(10, 100));
  CHECK(delivered(udp, 2, 4) == Bins(20, 0));  // crashed at 2 s, restarted at 4 s
  CHECK(delivered(udp, 4, 5) == Bins(10, 100));
  CHECK(delivered(udp, 5, 6) == Bins(10, 0));
  CHECK(delivered(udp, 6, 8.5) == Bins(25, 100));
  CHECK(udp.drops.at("SKB_DROP_REASON_NO_SOCKET") >= 3000);  // node-1's proxy sends on to port 8285, closed

  const auto vxlan = runner::run_mode(restart(), scenario::Backend::Vxlan, {});
  CHECK(delivered(vxlan, 0.6, 6) == Bins(54, 100));  // the kernel forwards with flanneld down
  CHECK(delivered(vxlan, 6, 6.5) == Bins(5, 0));     // flannel.1 re-created with a new MAC: node-1 still has the old one
  // watch_delay 500 ms later node-1 hears of the new MAC, and its flanneld's 3 netlink requests
  // (75 us) later the neighbour entry has it: the datagram sent at 6.500 s was still lost.
  CHECK(delivered(vxlan, 6.5, 6.6) == Bins(1, 99));
  CHECK(delivered(vxlan, 6.6, 8.5) == Bins(19, 100));
  CHECK(vxlan.drops.at("SKB_DROP_REASON_OTHERHOST") >= 500);
}

TEST_CASE("the timeline chart draws a line per mode and marks every event") {
  std::vector<runner::TimelineRow> rows;
  for (auto b : {scenario::Backend::HostGw, scenario::Backend::Udp}) {
    const auto r = runner::run_mode(restart(), b, {});
    rows.insert(rows.end(), r.timeline.begin(), r.timeline.end());
  }
  const std::string svg = runner::timeline_svg("t", rows, runner::event_marks(restart()), 0.1);
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at) ++lines;
  CHECK(lines == 4);  // 2 flows x 2 modes
  CHECK_THAT(svg, Catch::Contains(">flanneld-crash node-2</text>"));
  CHECK_THAT(svg, Catch::Contains(">flanneld-restart node-2</text>"));
  CHECK(runner::timeline_svg("t", rows, runner::event_marks(restart()), 0.1) == svg);
}
