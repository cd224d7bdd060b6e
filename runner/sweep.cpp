#include "runner/sweep.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/scenario/load.h"
#include "runner/run.h"

namespace ol::runner {

using nlohmann::json;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the file\n    fix: check the path", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& what, const std::string& fix) {
  throw std::runtime_error(fmt::format("{}: {}: {}\n    fix: {}", file, path, what, fix));
}

struct Run {
  int index;
  std::vector<json> values;  // one per parameter
  scenario::Backend mode;
  std::uint64_t seed;
};

std::string cell(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

SweepOutcome run_sweep(const std::string& file, int jobs, Shard shard, const std::function<void(int, int)>& progress) {
  json sweep;
  try {
    sweep = json::parse(read_file(file));
  } catch (const json::parse_error& e) {
    bad(file, "$", std::string("not valid JSON: ") + e.what(), "fix the JSON syntax");
  }
  if (!sweep.is_object() || !sweep.contains("scenario") || !sweep["scenario"].is_string())
    bad(file, "$.scenario", "a sweep names its scenario", "add \"scenario\": \"path/to/scenario.json\" (relative to this file)");
  const std::string scenario_file = (std::filesystem::path(file).parent_path() / sweep["scenario"].get<std::string>()).string();
  const json base = json::parse(read_file(scenario_file));
  std::vector<scenario::Backend> modes;
  for (const auto& m : sweep.value("modes", json::array({"host-gw", "udp", "vxlan"}))) {
    auto b = m.is_string() ? scenario::parse_backend(m.get<std::string>()) : std::nullopt;
    if (!b) bad(file, "$.modes", fmt::format("{} is not a mode", m.dump()), "use host-gw, udp or vxlan");
    modes.push_back(*b);
  }
  std::vector<std::uint64_t> seeds;
  for (const auto& s : sweep.value("seeds", json::array({1}))) {
    if (!s.is_number_integer() || s.get<std::int64_t>() < 0) bad(file, "$.seeds", fmt::format("{} is not a seed", s.dump()), "use integers 0 or more");
    seeds.push_back(s.get<std::uint64_t>());
  }
  std::vector<std::string> params;
  std::vector<std::vector<json>> values;
  const json parameters = sweep.value("parameters", json::object());
  for (auto it = parameters.begin(); it != parameters.end(); ++it) {
    if (!it.value().is_array() || it.value().empty())
      bad(file, "$.parameters[\"" + it.key() + "\"]", "a parameter needs a list of values", "write e.g. [64, 1400]");
    try {
      (void)base.at(json::json_pointer(it.key()));
    } catch (const std::exception&) {
      bad(file, "$.parameters[\"" + it.key() + "\"]", fmt::format("\"{}\" names nothing in {}", it.key(), scenario_file),
          "use a JSON pointer to an existing value, e.g. /workloads/0/size");
    }
    params.push_back(it.key());
    values.push_back(it.value().get<std::vector<json>>());
  }
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    bad(file, "--shard", fmt::format("{}/{} is not a shard", shard.index, shard.count), "use I/N with 1 <= I <= N");

  // The grid, in a fixed order: parameter points (the last parameter varying fastest), modes, seeds.
  std::vector<Run> runs;
  std::vector<std::size_t> at(params.size(), 0);
  int index = 0;
  for (bool more = true; more;) {
    std::vector<json> point;
    for (std::size_t k = 0; k < params.size(); ++k) point.push_back(values[k][at[k]]);
    for (auto m : modes)
      for (auto s : seeds) {
        if (index % shard.count == shard.index - 1) runs.push_back({index, point, m, s});
        ++index;
      }
    more = false;
    for (std::size_t k = params.size(); k-- > 0;) {
      if (++at[k] < values[k].size()) {
        more = true;
        break;
      }
      at[k] = 0;
    }
  }

  std::vector<std::string> rows(runs.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex m;
  std::exception_ptr failure;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < runs.size();) {
      try {
        json doc = base;
        for (std::size_t k = 0; k < params.size(); ++k) doc[json::json_pointer(params[k])] = runs[i].values[k];
        scenario::Scenario s = scenario::load_text(doc.dump(), scenario_file);
        RunResult r = run_mode(s, runs[i].mode, {.seed = runs[i].seed});
        std::string prefix = std::to_string(runs[i].index);
        for (const auto& v : runs[i].values) prefix += "," + cell(v);
        const std::string csv = flows_csv(r.flows);
        std::string out;
        for (std::size_t line = csv.find('\n') + 1; line < csv.size();) {
          const std::size_t end = csv.find('\n', line);
          out += prefix + "," + csv.substr(line, end - line) + "\n";
          line = end + 1;
        }
        rows[i] = std::move(out);
      } catch (...) {
        std::lock_guard<std::mutex> g(m);
        if (!failure) failure = std::current_exception();
        next = runs.size();
      }
      const int d = ++done;
      if (progress) {
        std::lock_guard<std::mutex> g(m);
        progress(d, int(runs.size()));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  std::string header = "run";
  for (const auto& p : params) header += ",param:" + p;
  const std::string flows_header = flows_csv({});
  SweepOutcome out;
  out.csv = header + "," + flows_header;
  for (const auto& r : rows) out.csv += r;
  out.runs = int(runs.size());
  return out;
}

std::string merge_csv(const std::vector<std::string>& csvs) {
  std::string header;
  std::vector<std::pair<long, std::string>> rows;  // (run, line), kept in order within a run
  for (const auto& csv : csvs) {
    const std::size_t nl = csv.find('\n');
    const std::string h = csv.substr(0, nl + 1);
    if (header.empty()) header = h;
    else if (h != header) throw std::runtime_error("the CSVs have different columns: they are not shards of one sweep");
    for (std::size_t line = nl + 1; line < csv.size();) {
      const std::size_t end = csv.find('\n', line);
      const std::string row = csv.substr(line, end - line);
      rows.emplace_back(std::stol(row.substr(0, row.find(','))), row);
      line = end == std::string::npos ? csv.size() : end + 1;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = header;
  for (const auto& r : rows) out += r.second + "\n";
  return out;
}

}  // namespace ol::runner
