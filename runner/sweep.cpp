#include "runner/sweep.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
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

// The sweep file checked and its grid laid out: every run of this shard, and how many in all.
struct Plan {
  std::string scenario_file;
  json base;
  std::vector<std::string> params;
  std::vector<Run> runs;
  int total = 0;
};

Plan plan_sweep(const std::string& file, Shard shard) {
  json sweep;
  try {
    sweep = json::parse(read_file(file));
  } catch (const json::exception& e) {  // a syntax error, or a number no double holds (1e999)
    bad(file, "$", std::string("not valid JSON: ") + e.what(), "fix the JSON syntax");
  }
  if (!sweep.is_object() || !sweep.contains("scenario") || !sweep["scenario"].is_string())
    bad(file, "$.scenario", "a sweep names its scenario", "add \"scenario\": \"path/to/scenario.json\" (relative to this file)");
  Plan plan;
  const std::string& scenario_file = plan.scenario_file =
      (std::filesystem::path(file).parent_path() / sweep["scenario"].get<std::string>()).string();
  const json& base = plan.base = json::parse(read_file(scenario_file));
  for (const char* key : {"modes", "seeds"})
    if (sweep.contains(key) && !sweep[key].is_array()) bad(file, std::string("$.") + key, "must be a list", "write e.g. [\"udp\", \"vxlan\"] or [1, 2]");
  if (sweep.contains("parameters") && !sweep["parameters"].is_object())
    bad(file, "$.parameters", "must be an object of JSON pointers", "write e.g. {\"/workloads/0/size\": [64, 1400]}");
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
  std::vector<std::string>& params = plan.params;
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
  std::vector<Run>& runs = plan.runs;
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
  plan.total = index;
  return plan;
}

}  // namespace

int sweep_runs(const std::string& file) { return plan_sweep(file, Shard{}).total; }

SweepOutcome run_sweep(const std::string& file, int jobs, Shard shard, const std::function<void(int, int)>& progress) {
  const Plan plan = plan_sweep(file, shard);
  const std::vector<Run>& runs = plan.runs;
  const std::vector<std::string>& params = plan.params;
  const int index = plan.total;
  const json& base = plan.base;
  const std::string& scenario_file = plan.scenario_file;

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
        std::string prefix = fmt::format("{},{}", runs[i].index, index);
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

  std::string header = "run,runs";
  for (const auto& p : params) header += ",param:" + p;
  const std::string flows_header = flows_csv({});
  SweepOutcome out;
  out.csv = header + "," + flows_header;
  for (const auto& r : rows) out.csv += r;
  out.runs = int(runs.size());
  return out;
}

namespace {

struct Row {
  long run;
  std::size_t source;  // which of the CSVs (the same path given twice is two sources)
  std::string line;
};

long integer_cell(const std::string& cell, const std::string& where) {
  long v = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || end != cell.data() + cell.size() || v < 0)
    throw std::runtime_error(fmt::format("{}: \"{}\" is not a run number: not a sweep's CSV\n    fix: give the CSVs that "
                                         "overlaylab sweep --shard I/N wrote",
                                         where, cell));
  return v;
}

// Which shard of `count` holds `run`, as --shard writes it.
std::string shard_of(long run, long count) { return fmt::format("{}/{}", run % count + 1, count); }

}  // namespace

std::string merge_csv(const std::vector<ShardCsv>& shards) {
  std::string header, header_file;
  long total = -1;
  std::vector<Row> rows;
  long stride = 0;  // the shards' N, from the step between one shard's run numbers
  for (std::size_t source = 0; source < shards.size(); ++source) {
    const auto& [file, csv] = shards[source];
    const std::size_t nl = csv.find('\n');
    const std::string h = csv.substr(0, nl == std::string::npos ? csv.size() : nl + 1);
    if (!h.starts_with("run,runs,"))
      throw std::runtime_error(fmt::format("{}: not a sweep's CSV (its header does not start with run,runs)\n    fix: give "
                                           "the CSVs that overlaylab sweep --shard I/N wrote",
                                           file));
    if (header.empty()) header = h, header_file = file;
    else if (h != header)
      throw std::runtime_error(fmt::format("{}: its columns differ from {}'s: they are not shards of one sweep\n    fix: "
                                           "merge the shards of one sweep file",
                                           file, header_file));
    long prev = -1;
    int n = 1;
    for (std::size_t line = nl + 1; nl != std::string::npos && line < csv.size(); ++n) {
      const std::size_t end = std::min(csv.find('\n', line), csv.size());
      const std::string row = csv.substr(line, end - line);
      line = end + 1;
      const std::string where = fmt::format("{}:{}", file, n + 1);
      const std::size_t c1 = row.find(','), c2 = row.find(',', c1 + 1);
      if (c1 == std::string::npos || c2 == std::string::npos)
        throw std::runtime_error(fmt::format("{}: a row without its run and runs\n    fix: give the CSVs that overlaylab "
                                             "sweep --shard I/N wrote, unedited",
                                             where));
      const long run = integer_cell(row.substr(0, c1), where);
      const long runs = integer_cell(row.substr(c1 + 1, c2 - c1 - 1), where);
      if (total < 0) total = runs;
      if (runs != total || run >= runs)
        throw std::runtime_error(fmt::format("{}: run {} of {} does not belong to a sweep of {} runs\n    fix: merge the "
                                             "shards of one sweep file",
                                             where, run, runs, total));
      if (prev >= 0 && run > prev && stride == 0) stride = run - prev;
      prev = run;
      rows.push_back({run, source, row});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.run < b.run; });
  std::vector<long> missing;
  long expect = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].run < expect) {  // a run met again: from another file, or the same file twice
      const Row& first = *std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.run == rows[i].run; });
      if (first.source != rows[i].source)
        throw std::runtime_error(fmt::format("run {} is in both {} and {}: a shard given twice?\n    fix: give each shard's "
                                             "CSV once",
                                             rows[i].run, shards[first.source].file, shards[rows[i].source].file));
      continue;  // a run's own rows (one per flow) follow each other
    }
    for (; expect < rows[i].run; ++expect) missing.push_back(expect);
    expect = rows[i].run + 1;
  }
  for (; expect < std::max(total, 0L); ++expect) missing.push_back(expect);
  if (!missing.empty()) {
    std::string which;
    if (stride > 0) {
      std::vector<std::string> names;
      for (long r : missing)
        if (std::find(names.begin(), names.end(), shard_of(r, stride)) == names.end()) names.push_back(shard_of(r, stride));
      which = fmt::format("shard{} {} {} ", names.size() == 1 ? "" : "s", fmt::join(names, ", "), names.size() == 1 ? "is" : "are");
    }
    throw std::runtime_error(fmt::format("{}missing: {} of the sweep's {} runs are not in these CSVs (run {}{})\n    fix: "
                                         "run overlaylab sweep SWEEP --shard {} and merge its CSV too",
                                         which, missing.size(), total, fmt::join(missing.begin(), missing.begin() +
                                         long(std::min<std::size_t>(missing.size(), 8)), ", "),
                                         missing.size() > 8 ? ", …" : "", stride > 0 ? shard_of(missing.front(), stride) : "I/N"));
  }
  std::string out = header;
  for (const auto& r : rows) out += r.line + "\n";
  return out;
}

}  // namespace ol::runner
