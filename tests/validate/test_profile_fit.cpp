// The calibration's fit on its own: scaling a profile by groups, and recovering known factors
// from figures a known model produced.
#include <cmath>

#include <catch2/catch.hpp>

#include "models/cost/profile.h"
#include "validate/profile_fit.h"

using namespace ol;
using validate::CostGroup;
using validate::Scales;

TEST_CASE("a profile written by to_json reads back the same") {
  cost::Profile p = cost::Profile::builtin();
  p.name = "round-trip";
  p.description = "test";
  p.steps[std::size_t(cost::Step::VxlanXmit)].per_packet_ns = 1234.5;
  const cost::Profile q = cost::Profile::parse(p.to_json(), "round-trip.json");
  CHECK(q.name == "round-trip");
  CHECK(q.description == "test");
  for (std::size_t i = 0; i < cost::kSteps; ++i) {
    CHECK(q.steps[i].per_packet_ns == p.steps[i].per_packet_ns);
    CHECK(q.steps[i].per_byte_ns == p.steps[i].per_byte_ns);
    CHECK(q.steps[i].source == p.steps[i].source);
  }
}

TEST_CASE("scaling a group scales its steps and no other - app_work from the profile's, or from 1 us where that is 0") {
  Scales s{};
  s[std::size_t(CostGroup::Vxlan)] = std::log(3.0);
  s[std::size_t(CostGroup::App)] = std::log(2.0);
  const auto& base = cost::Profile::builtin();
  const cost::Profile p = validate::scaled(base, s);
  CHECK(p.steps[std::size_t(cost::Step::VxlanXmit)].per_packet_ns == Approx(3 * base.steps[std::size_t(cost::Step::VxlanXmit)].per_packet_ns));
  CHECK(p.steps[std::size_t(cost::Step::VxlanRcv)].per_packet_ns == Approx(3 * base.steps[std::size_t(cost::Step::VxlanRcv)].per_packet_ns));
  CHECK(p.steps[std::size_t(cost::Step::IpRcv)].per_packet_ns == base.steps[std::size_t(cost::Step::IpRcv)].per_packet_ns);
  CHECK(base.steps[std::size_t(cost::Step::AppWork)].per_packet_ns > 0);  // measured by calibrate --steps
  CHECK(p.steps[std::size_t(cost::Step::AppWork)].per_packet_ns == Approx(2 * base.steps[std::size_t(cost::Step::AppWork)].per_packet_ns));
  cost::Profile ideal = base;  // an ideal generator: the fit has something to scale all the same
  ideal.steps[std::size_t(cost::Step::AppWork)].per_packet_ns = 0;
  CHECK(validate::scaled(ideal, s).steps[std::size_t(cost::Step::AppWork)].per_packet_ns == Approx(2000));
  CHECK(validate::group_of(cost::Step::TunDoRead) == CostGroup::Tun);
  CHECK(validate::group_of(cost::Step::CopyToUser) == CostGroup::Bytes);
}

TEST_CASE("the fit recovers the factors a known model was run with") {
  // A stand-in for the simulator: latencies add the groups' costs, rates are their inverse.
  const auto model = [](const Scales& s) {
    const auto e = [&](CostGroup g) { return std::exp(s[std::size_t(g)]); };
    const double stack = 4 * e(CostGroup::Stack), vx = 2 * e(CostGroup::Vxlan), tun = 3 * e(CostGroup::Tun);
    const double sys = e(CostGroup::Syscall), wake = 5 * e(CostGroup::Wakeup), bytes = 0.5 * e(CostGroup::Bytes);
    const double app = e(CostGroup::App);
    return std::vector<double>{stack + sys,          1e3 / (stack + sys + app),          1e3 / (stack + sys + app + 3 * bytes),
                               stack + vx + sys,     1e3 / (stack + vx + sys + app),     1e3 / (stack + vx + sys + app + 3 * bytes),
                               stack + tun + 4 * wake, 1e3 / (stack + 2 * tun + 2 * sys + app), 1e3 / (stack + 2 * tun + app + 9 * bytes)};
  };
  Scales truth{};
  truth[std::size_t(CostGroup::Stack)] = std::log(4.0);
  truth[std::size_t(CostGroup::Vxlan)] = std::log(2.5);
  truth[std::size_t(CostGroup::Wakeup)] = std::log(0.5);
  truth[std::size_t(CostGroup::Bytes)] = std::log(2.0);
  const auto measured = model(truth);
  const auto fit = validate::fit_profile(measured, [&](const std::vector<Scales>& batch) {
    std::vector<std::vector<double>> out;
    for (const auto& s : batch) out.push_back(model(s));
    return out;
  }, 30);
  CHECK(fit.rms_log_error < 0.02);
  for (std::size_t i = 0; i < measured.size(); ++i) CHECK(fit.predicted[i] == Approx(measured[i]).epsilon(0.05));
}

TEST_CASE("a profile with a number no double holds is refused with the file, not a crash") {
  // Found by fuzzing: nlohmann's out_of_range escaped and aborted `compare --profile`.
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {"ip_rcv": {"per_packet_ns": 1e999}}})", "big.json"),
                    Catch::StartsWith("big.json: $: not valid JSON: ") && Catch::Contains("number overflow"));
}

TEST_CASE("a profile key of the wrong type is named, not a crash") {
  // Found by fuzzing: "profile": 7 threw nlohmann's type_error out of the loader.
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"profile": 7, "steps": {}})", "p.json"),
                    "p.json: $.profile: must be a string\n    fix: write it in quotes");
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {"ip_rcv": 5}})", "p.json"), Catch::StartsWith("p.json: $.steps.ip_rcv: must be an object"));
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {"ip_rcv": {"source": 1}}})", "p.json"),
                    Catch::StartsWith("p.json: $.steps.ip_rcv.source: must be a string"));
}

TEST_CASE("a profile's cold-start curve reads back, and a bad point is named with its fix") {
  cost::Profile p = cost::Profile::parse(
      R"({"steps": {}, "cold_start": {"points": [[1000000, 2], [10000000, 11]], "budget_ns": 15000, "source": "a ping-pong"}})",
      "c.json");
  REQUIRE(p.cold_start.points.size() == 2);
  CHECK(p.cold_start.points[1].idle == 10'000'000);
  CHECK(p.cold_start.points[1].factor == 11);
  CHECK(p.cold_start.source == "a ping-pong");
  CHECK(p.cold_start.budget == 15000);
  const cost::Profile q = cost::Profile::parse(p.to_json(), "round-trip.json");
  REQUIRE(q.cold_start.points.size() == 2);
  CHECK(q.cold_start.points[0].idle == 1'000'000);
  CHECK(q.cold_start.points[0].factor == 2);
  CHECK(q.cold_start.budget == 15000);
  CHECK(cost::Profile::parse(R"({"steps": {}})", "n.json").cold_start.points.empty());  // none: no slowdown

  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "cold_start": 3})", "c.json"),
                    Catch::StartsWith("c.json: $.cold_start: needs \"points\", a list\n    fix: write {\"points\""));
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "cold_start": {"points": [[1000, 2], [1000, 3]]}})", "c.json"),
                    Catch::StartsWith("c.json: $.cold_start.points[1][0]: idle must be more than the point before's"));
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "cold_start": {"points": [[1000, 0.5]]}})", "c.json"),
                    Catch::StartsWith("c.json: $.cold_start.points[0][1]: the factor must be between 1 and 1000"));
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "cold_start": {"points": [[1000]]}})", "c.json"),
                    Catch::StartsWith("c.json: $.cold_start.points[0]: must be [idle_ns, factor]"));
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "cold_start": {"points": [[1000, 2]]}})", "c.json"),
                    Catch::StartsWith("c.json: $.cold_start.budget_ns: needs the ns of warm work a cold core runs slower for") &&
                        Catch::Contains("fix: write e.g. \"budget_ns\": 15000"));
}

TEST_CASE("the cold-start factor: x1 at no idle, straight lines between the points, flat after the last") {
  cost::ColdStart cs;
  CHECK(cs.factor(5'000'000) == 1);  // no points: never slower
  cs.points = {{1'000'000, 2.0}, {10'000'000, 11.0}};
  CHECK(cs.factor(0) == 1);
  CHECK(cs.factor(500'000) == Approx(1.5));
  CHECK(cs.factor(1'000'000) == Approx(2));
  CHECK(cs.factor(5'500'000) == Approx(6.5));
  CHECK(cs.factor(10'000'000) == Approx(11));
  CHECK(cs.factor(1'000'000'000) == Approx(11));
}

TEST_CASE("a profile's wake-up latency reads back, and a bad one is named with its fix") {
  const cost::Profile p = cost::Profile::parse(R"({"steps": {}, "wakeup_latency": {"ns": 650, "source": "a ping-pong"}})", "w.json");
  CHECK(p.wakeup_latency.ns == 650);
  const cost::Profile q = cost::Profile::parse(p.to_json(), "round-trip.json");
  CHECK(q.wakeup_latency.ns == 650);
  CHECK(q.wakeup_latency.source == "a ping-pong");
  CHECK(cost::Profile::parse(R"({"steps": {}})", "n.json").wakeup_latency.ns == 0);
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "wakeup_latency": {"ns": -1}})", "w.json"),
                    Catch::StartsWith("w.json: $.wakeup_latency: needs \"ns\", a number of nanoseconds from 0 to 1e9\n    fix: write {\"ns\": 650"));
}

TEST_CASE("a profile's wake-up latency by idle time reads back, adds straight lines from 0 and stays flat after the last point, and a bad point is named") {
  const cost::Profile p = cost::Profile::parse(
      R"({"steps": {}, "wakeup_latency": {"ns": 1000, "points": [[100000, 60000], [1000000, 140000]], "source": "ping-pongs"}})", "w.json");
  const cost::Profile q = cost::Profile::parse(p.to_json(), "round-trip.json");
  REQUIRE(q.wakeup_latency.points.size() == 2);
  CHECK(q.wakeup_latency.points[1].idle == 1'000'000);
  CHECK(q.wakeup_latency.points[1].extra == 140'000);
  const auto& w = q.wakeup_latency;
  CHECK(w.after(0) == 1000);
  CHECK(w.after(50'000) == 31'000);       // half way to the first point
  CHECK(w.after(550'000) == 101'000);     // half way between the two
  CHECK(w.after(20'000'000) == 141'000);  // flat after the last
  CHECK_THROWS_WITH(
      cost::Profile::parse(R"({"steps": {}, "wakeup_latency": {"ns": 0, "points": [[1000000, 5], [1000, 9]]}})", "w.json"),
      Catch::StartsWith("w.json: $.wakeup_latency.points[1][0]: idle must be more than the point before's (and than 0), in ns\n    fix: write e.g."));
  CHECK_THROWS_WITH(cost::Profile::parse(R"({"steps": {}, "wakeup_latency": {"ns": 0, "points": [[1000, -5]]}})", "w.json"),
                    Catch::StartsWith("w.json: $.wakeup_latency.points[0][1]: the extra latency must be from 0 to 1e9 ns"));
}
