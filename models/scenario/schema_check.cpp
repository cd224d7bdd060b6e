#include "models/scenario/schema_check.h"

#include <algorithm>
#include <regex>
#include <unordered_map>

#include <fmt/format.h>

namespace ol::scenario {

using nlohmann::json;

namespace {

std::string type_name(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  return "null";
}

std::string shown(const json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

bool has_type(const json& v, const std::string& t) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "boolean") return v.is_boolean();
  if (t == "integer") return v.is_number_integer();
  if (t == "number") return v.is_number();
  if (t == "null") return v.is_null();
  return false;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

class Checker {
 public:
  Checker(const json& root, std::vector<Problem>& out, std::size_t limit) : root_(root), out_(out), limit_(limit) {}

  void check(const json& schema_in, const json& v, const std::string& path) {
    if (full()) return;
    const json& s = resolve(schema_in);
    if (s.contains("type")) {
      const auto& t = s["type"];
      bool ok = t.is_string() ? has_type(v, t) : std::any_of(t.begin(), t.end(), [&](const json& x) { return has_type(v, x); });
      if (!ok) {
        std::string want = t.is_string() ? t.get<std::string>() : t.dump();
        return add(path, fmt::format("expected {} {}, got {} ({})", article(want), want, type_name(v), shown(v)),
                   fix_of(s, fmt::format("write {} {}", article(want), want)));
      }
    }
    if (s.contains("enum")) {
      const auto& e = s["enum"];
      if (std::find(e.begin(), e.end(), v) == e.end()) {
        std::string list;
        for (const auto& x : e) list += (list.empty() ? "" : ", ") + x.dump();
        return add(path, fmt::format("{} is not one of {}", shown(v), list), fmt::format("use one of {}", list));
      }
    }
    if (v.is_number()) check_number(s, v, path);
    if (v.is_string()) check_string(s, v.get<std::string>(), path);
    if (v.is_array()) check_array(s, v, path);
    if (v.is_object()) check_object(s, v, path);
  }

 private:
  static std::string article(const std::string& t) {
    return (t == "object" || t == "array" || t == "integer") ? "an" : "a";
  }

  const json& resolve(const json& s) const {
    if (!s.contains("$ref")) return s;
    std::string ref = s["$ref"];  // "#/$defs/name"
    return root_.at(json::json_pointer(ref.substr(1)));
  }

  std::string fix_of(const json& s, std::string fallback) const {
    if (s.contains("description")) return s["description"];
    return fallback;
  }

  void check_number(const json& s, const json& v, const std::string& path) {
    if (s.contains("minimum") && v < s["minimum"])
      add(path, fmt::format("{} is below the minimum {}", shown(v), s["minimum"].dump()),
          fix_of(s, fmt::format("use a value from {} up", s["minimum"].dump())));
    else if (s.contains("maximum") && v > s["maximum"])
      add(path, fmt::format("{} is above the maximum {}", shown(v), s["maximum"].dump()),
          fix_of(s, fmt::format("use a value of at most {}", s["maximum"].dump())));
  }

  void check_string(const json& s, const std::string& v, const std::string& path) {
    if (s.contains("minLength") && v.size() < s["minLength"].get<std::size_t>())
      return add(path, fmt::format("\"{}\" is shorter than {} characters", v, s["minLength"].dump()), fix_of(s, ""));
    if (s.contains("maxLength") && v.size() > s["maxLength"].get<std::size_t>())
      return add(path, fmt::format("\"{}\" is longer than {} characters", v, s["maxLength"].dump()),
                 fix_of(s, fmt::format("use at most {} characters", s["maxLength"].dump())));
    if (s.contains("pattern")) {
      const std::string& pat = s["pattern"].get_ref<const std::string&>();
      auto it = regexes_.find(pat);
      if (it == regexes_.end()) it = regexes_.emplace(pat, std::regex(pat, std::regex::ECMAScript)).first;
      if (!std::regex_search(v, it->second))
        add(path, fmt::format("\"{}\" is not in the expected form", v), fix_of(s, "match " + pat));
    }
  }

  void check_array(const json& s, const json& v, const std::string& path) {
    if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>())
      return add(path, fmt::format("has {} items, fewer than the minimum {}", v.size(), s["minItems"].dump()),
                 fix_of(s, fmt::format("give at least {}", s["minItems"].dump())));
    if (s.contains("maxItems") && v.size() > s["maxItems"].get<std::size_t>())
      return add(path, fmt::format("has {} items, more than the maximum {}", v.size(), s["maxItems"].dump()),
                 fix_of(s, fmt::format("give at most {}", s["maxItems"].dump())));
    if (s.contains("items"))
      for (std::size_t i = 0; i < v.size() && !full(); ++i) check(s["items"], v[i], path_index(path, i));
  }

  void check_object(const json& s, const json& v, const std::string& path) {
    static const json kEmpty = json::object();
    const json& props = s.contains("properties") ? s["properties"] : kEmpty;
    if (s.contains("required"))
      for (const auto& k : s["required"])
        if (!v.contains(k.get<std::string>()))
          add(path, fmt::format("missing the required key \"{}\"", k.get<std::string>()),
              fmt::format("add \"{}\": {}", k.get<std::string>(),
                          fix_of(resolve(props.value(k.get<std::string>(), kEmpty)), "see scenarios/schema.json")));
    const bool closed = s.contains("additionalProperties") && s["additionalProperties"] == false;
    // additionalProperties as a schema: every key not in properties must match it.
    const json* extra = s.contains("additionalProperties") && s["additionalProperties"].is_object() ? &s["additionalProperties"] : nullptr;
    if (s.contains("maxProperties") && v.size() > s["maxProperties"].get<std::size_t>())
      add(path, fmt::format("has {} keys, more than the maximum {}", v.size(), s["maxProperties"].dump()),
          fix_of(s, fmt::format("give at most {}", s["maxProperties"].dump())));
    for (auto it = v.begin(); it != v.end() && !full(); ++it) {
      if (props.contains(it.key())) {
        check(props[it.key()], it.value(), path_key(path, it.key()));
      } else if (extra) {
        check(*extra, it.value(), path_key(path, it.key()));
      } else if (closed) {
        add(path_key(path, it.key()), fmt::format("unknown key \"{}\"", it.key()), suggest(it.key(), props));
      }
    }
  }

  static std::string suggest(const std::string& key, const json& props) {
    std::string best, all;
    std::size_t best_d = 3;
    for (auto it = props.begin(); it != props.end(); ++it) {
      all += (all.empty() ? "" : ", ") + it.key();
      std::size_t d = edit_distance(key, it.key());
      if (d < best_d) best_d = d, best = it.key();
    }
    if (!best.empty()) return fmt::format("did you mean \"{}\"? (allowed here: {})", best, all);
    return fmt::format("remove it (allowed here: {})", all);
  }

  bool full() const { return out_.size() >= limit_; }
  void add(const std::string& path, std::string message, std::string fix) {
    if (!full()) out_.push_back({path, std::move(message), std::move(fix)});
  }

  const json& root_;
  std::vector<Problem>& out_;
  std::size_t limit_;
  std::unordered_map<std::string, std::regex> regexes_;
};

}  // namespace

void check_schema(const json& schema, const json& doc, std::vector<Problem>& out, std::size_t limit) {
  Checker(schema, out, limit).check(schema, doc, "$");
}

}  // namespace ol::scenario
