#include "models/cost/profile.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ol::cost {

namespace {

constexpr std::array<const char*, kSteps> kNames = {
#define OL_COST_STEP_NAME(name, function) #function,
    OL_COST_STEPS(OL_COST_STEP_NAME)
#undef OL_COST_STEP_NAME
};

// A curve by idle time, [[idle_ns, value], …] at `path`: idle strictly increasing, each value
// checked by `bad_value` (which returns what is wrong, or null). `of` makes a point of the two.
template <typename Point, typename Fail, typename Bad, typename Of>
std::vector<Point> parse_idle_points(const nlohmann::json& pts, const std::string& path, const char* shape, const std::string& fix,
                                     Fail fail, Bad bad_value, Of of) {
  std::vector<Point> out;
  for (std::size_t k = 0; k < pts.size(); ++k) {
    const auto& pt = pts[k];
    const std::string at = fmt::format("{}[{}]", path, k);
    if (!pt.is_array() || pt.size() != 2 || !pt[0].is_number() || !pt[1].is_number()) fail(at, fmt::format("must be {}", shape), fix);
    const double idle = pt[0].get<double>(), value = pt[1].get<double>();
    const double last = out.empty() ? 0 : double(out.back().idle);
    if (!(idle > last) || idle > 1e15) fail(at + "[0]", "idle must be more than the point before's (and than 0), in ns", fix);
    if (const char* why = bad_value(value)) fail(at + "[1]", why, fix);
    out.push_back(of(Nanos(idle), value));
  }
  return out;
}

// "cold_start": {"points": [[idle_ns, factor], …], "budget_ns": …, "source": "…"}, idle strictly
// increasing; the budget is required with points.
template <typename Fail>
ColdStart parse_cold_start(const nlohmann::json& c, Fail fail) {
  const std::string fix =
      R"(write {"points": [[1000000, 1.5], [10000000, 11]], "budget_ns": 15000, "source": "…"}: idle ns increasing, factors 1 or more)";
  if (!c.is_object() || !c.contains("points") || !c["points"].is_array()) fail("$.cold_start", "needs \"points\", a list", fix);
  ColdStart cs;
  cs.points = parse_idle_points<ColdStart::Point>(
      c["points"], "$.cold_start.points", "[idle_ns, factor]", fix, fail,
      [](double f) { return f >= 1 && f <= 1000 ? nullptr : "the factor must be between 1 and 1000"; },
      [](Nanos idle, double f) { return ColdStart::Point{idle, f}; });
  if (!cs.points.empty()) {
    if (!c.contains("budget_ns") || !c["budget_ns"].is_number() || !(c["budget_ns"].get<double>() > 0) ||
        c["budget_ns"].get<double>() > 1e12)
      fail("$.cold_start.budget_ns", "needs the ns of warm work a cold core runs slower for, more than 0",
           "write e.g. \"budget_ns\": 15000 (the measured round trip back to back)");
    cs.budget = Nanos(c["budget_ns"].get<double>());
  }
  if (c.contains("source")) {
    if (!c["source"].is_string()) fail("$.cold_start.source", "must be a string", "write it in quotes");
    cs.source = c["source"].get<std::string>();
  }
  return cs;
}

}  // namespace

const char* step_name(Step s) { return kNames[std::size_t(s)]; }

Profile Profile::parse(const std::string& text, const std::string& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // a syntax error, or a number no double holds (1e999)
    throw ProfileError(fmt::format("{}: $: not valid JSON: {}\n    fix: correct the JSON syntax", file, e.what()));
  }
  auto fail = [&](const std::string& path, const std::string& what, const std::string& fix) {
    throw ProfileError(fmt::format("{}: {}: {}\n    fix: {}", file, path, what, fix));
  };
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_object())
    fail("$", "a profile needs \"steps\": {name: {per_packet_ns, per_byte_ns, source}}", "start from models/cost/default.json");
  // Every key of the wrong type is named (fuzzing found a number for "profile" aborting the run).
  auto string_at = [&](const nlohmann::json& o, const char* key, const std::string& path, std::string fallback) {
    if (!o.contains(key)) return fallback;
    if (!o[key].is_string()) fail(path, "must be a string", "write it in quotes");
    return o[key].get<std::string>();
  };
  Profile p;
  p.name = string_at(j, "profile", "$.profile", "unnamed");
  p.description = string_at(j, "description", "$.description", "");
  if (j.contains("version") && !j["version"].is_number_integer()) fail("$.version", "must be an integer", "write e.g. 1");
  p.version = j.value("version", 0);
  for (auto it = j["steps"].begin(); it != j["steps"].end(); ++it) {
    const std::string path = "$.steps." + it.key();
    std::size_t i = 0;
    while (i < kSteps && it.key() != kNames[i]) ++i;
    if (i == kSteps) {
      std::string all;
      for (auto* n : kNames) all += (all.empty() ? "" : ", ") + std::string(n);
      fail(path, fmt::format("unknown step \"{}\"", it.key()), "use one of " + all);
    }
    const auto& v = it.value();
    if (!v.is_object()) fail(path, "must be an object", "write {\"per_packet_ns\": 120, \"per_byte_ns\": 0.1, \"source\": \"…\"}");
    for (const char* k : {"per_packet_ns", "per_byte_ns"})
      if (v.contains(k) && (!v[k].is_number() || v[k].get<double>() < 0))
        fail(path + "." + k, "must be a number of nanoseconds, 0 or more", "write e.g. 120 or 0.1");
    p.steps[i] = {v.value("per_packet_ns", 0.0), v.value("per_byte_ns", 0.0), string_at(v, "source", path + ".source", "")};
  }
  if (j.contains("cold_start")) p.cold_start = parse_cold_start(j["cold_start"], fail);
  if (j.contains("wakeup_latency")) {
    const auto& w = j["wakeup_latency"];
    if (!w.is_object() || !w.contains("ns") || !w["ns"].is_number() || !(w["ns"].get<double>() >= 0) || w["ns"].get<double>() > 1e9)
      fail("$.wakeup_latency", "needs \"ns\", a number of nanoseconds from 0 to 1e9",
           R"(write {"ns": 650, "source": "…"}: what a task woken onto another, idle core waits)");
    p.wakeup_latency.ns = Nanos(w["ns"].get<double>());
    p.wakeup_latency.source = string_at(w, "source", "$.wakeup_latency.source", "");
    const std::string fix = R"(write e.g. "points": [[100000, 60000], [1000000, 140000]]: idle ns increasing, extra ns 0 or more)";
    if (w.contains("points") && !w["points"].is_array()) fail("$.wakeup_latency.points", "must be a list of [idle_ns, extra_ns]", fix);
    if (w.contains("points"))
      p.wakeup_latency.points = parse_idle_points<WakeupLatency::Point>(
          w["points"], "$.wakeup_latency.points", "[idle_ns, extra_ns]", fix, fail,
          [](double e) { return e >= 0 && e <= 1e9 ? nullptr : "the extra latency must be from 0 to 1e9 ns"; },
          [](Nanos idle, double e) { return WakeupLatency::Point{idle, Nanos(e)}; });
  }
  return p;
}

std::string Profile::to_json() const {
  nlohmann::ordered_json j;
  j["profile"] = name;
  j["version"] = version;
  j["description"] = description;
  auto& st = j["steps"];
  for (std::size_t i = 0; i < kSteps; ++i)
    st[kNames[i]] = {{"per_packet_ns", steps[i].per_packet_ns}, {"per_byte_ns", steps[i].per_byte_ns}, {"source", steps[i].source}};
  if (!cold_start.points.empty()) {
    auto& pts = j["cold_start"]["points"];
    pts = nlohmann::ordered_json::array();
    for (const auto& p : cold_start.points) pts.push_back({p.idle, p.factor});
    j["cold_start"]["budget_ns"] = cold_start.budget;
    j["cold_start"]["source"] = cold_start.source;
  }
  if (wakeup_latency.ns || !wakeup_latency.points.empty() || !wakeup_latency.source.empty()) {
    j["wakeup_latency"]["ns"] = wakeup_latency.ns;
    if (!wakeup_latency.points.empty()) {
      auto& pts = j["wakeup_latency"]["points"];
      pts = nlohmann::ordered_json::array();
      for (const auto& p : wakeup_latency.points) pts.push_back({p.idle, p.extra});
    }
    j["wakeup_latency"]["source"] = wakeup_latency.source;
  }
  return j.dump(2) + "\n";
}

Profile Profile::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ProfileError(fmt::format("{}: cannot read the file\n    fix: check the path", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

}  // namespace ol::cost
