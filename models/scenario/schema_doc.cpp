#include "models/scenario/schema_doc.h"

#include <set>
#include <vector>

#include <fmt/format.h>

namespace ol::scenario {

namespace {

using json = nlohmann::json;

struct Table {
  std::string heading;  // the key's path from the top: "nodes[]", "net-conf.json.Backend"
  const json* object;   // the schema of the object whose keys it lists
};

class Writer {
 public:
  explicit Writer(const json& schema) : schema_(schema) {}

  std::string write() {
    std::string out = "### Value types\n\n| type | written as |\n|---|---|\n";
    for (const auto& [name, def] : schema_["$defs"].items())
      if (!is_object(def)) out += fmt::format("| `{}` | {} |\n", name, cell(def.value("description", "")));
    std::vector<Table> tables{{"top level", &schema_}};
    for (std::size_t i = 0; i < tables.size(); ++i) out += "\n" + table(tables[i], tables);
    return out;
  }

 private:
  const json& resolve(const json& s) const {
    if (!s.contains("$ref")) return s;
    const std::string ref = s["$ref"];  // "#/$defs/<name>"
    return schema_["$defs"][ref.substr(ref.rfind('/') + 1)];
  }
  static bool is_object(const json& s) { return s.value("type", "") == "object" && s.contains("properties"); }
  static std::string ref_name(const json& s) {
    const std::string ref = s.value("$ref", "");
    return ref.substr(ref.rfind('/') + 1);
  }
  static std::string cell(std::string s) {
    for (std::size_t i = 0; (i = s.find('|', i)) != std::string::npos; i += 2) s.replace(i, 1, "\\|");
    return s;
  }
  static std::string range(const json& s, const char* lo, const char* hi) {
    if (s.contains(lo) && s.contains(hi)) return fmt::format(" {}–{}", s[lo].dump(), s[hi].dump());
    if (s.contains(lo)) return fmt::format(" ≥ {}", s[lo].dump());
    if (s.contains(hi)) return fmt::format(" ≤ {}", s[hi].dump());
    return "";
  }

  // What a value of this schema looks like, in a few words; objects get a table of their own.
  std::string type_of(const json& s, const std::string& path, std::vector<Table>& tables) const {
    if (s.contains("$ref")) {
      const json& def = resolve(s);
      if (is_object(def)) {
        tables.push_back({path, &def});
        return fmt::format("object: see `{}`", path);
      }
      return fmt::format("`{}`", ref_name(s));
    }
    if (s.contains("type") && s["type"].is_array()) return one_of_types(s, path, tables);
    const std::string t = s.value("type", "");
    if (t == "array") {
      const json& items = s.contains("items") ? s["items"] : json::object();
      const std::string count = range(s, "minItems", "maxItems");
      if (items.contains("$ref") && is_object(resolve(items))) {
        tables.push_back({path + "[]", &resolve(items)});
        return fmt::format("array{}{}: see `{}[]`", count.empty() ? "" : ",", count.empty() ? "" : count + " items", path);
      }
      return fmt::format("array of {}{}", items.contains("$ref") ? "`" + ref_name(items) + "`" : items.value("type", "values") + "s",
                         count.empty() ? "" : "," + count + " items");
    }
    if (t == "string" && s.contains("enum")) {
      std::string e;
      for (const auto& v : s["enum"]) e += (e.empty() ? "" : ", ") + fmt::format("`{}`", v.dump());
      return "one of " + e;
    }
    if (t == "string") return s.contains("maxLength") ? fmt::format("string, at most {} characters", s["maxLength"].dump()) : "string";
    if (t == "integer" || t == "number") return t + range(s, "minimum", "maximum");
    if (t == "boolean") return "true or false";
    return t.empty() ? "any" : t;
  }

  // "type": ["object", "string"]: an object with its own table, or a string (one word when the
  // pattern allows only one, as "^none$").
  std::string one_of_types(const json& s, const std::string& path, std::vector<Table>& tables) const {
    std::string out;
    for (const auto& t : s["type"]) {
      std::string w = t.get<std::string>();
      if (w == "object" && s.contains("properties")) {
        tables.push_back({path, &s});
        w = fmt::format("object (see `{}`)", path);
      } else if (w == "string" && s.contains("pattern")) {
        const std::string pat = s["pattern"];
        if (pat.size() > 2 && pat.front() == '^' && pat.back() == '$') w = fmt::format("`\"{}\"`", pat.substr(1, pat.size() - 2));
      }
      out += (out.empty() ? "" : " or ") + w;
    }
    return out;
  }

  std::string table(Table t, std::vector<Table>& tables) const {  // t by value: tables grows as it goes
    std::string out = t.heading == "top level" ? "### Top level\n\n" : fmt::format("### `{}`\n\n", t.heading);
    if (t.object->contains("description") && t.heading != "top level") {
      std::string d = cell((*t.object)["description"].get<std::string>());
      if (!d.empty() && d[0] >= 'a' && d[0] <= 'z') d[0] = char(d[0] - 'a' + 'A');
      out += d + ".\n\n";
    }
    out += "| key | value | meaning |\n|---|---|---|\n";
    std::set<std::string> required;
    if (t.object->contains("required"))
      for (const auto& r : (*t.object)["required"]) required.insert(r.get<std::string>());
    for (const auto& [key, prop] : (*t.object)["properties"].items()) {
      const std::string path = t.heading == "top level" ? key : t.heading + "." + key;
      out += fmt::format("| `{}`{} | {} | {} |\n", key, required.count(key) ? " (required)" : "", cell(type_of(prop, path, tables)),
                         cell(prop.value("description", "")));
    }
    return out;
  }

  const json& schema_;
};

}  // namespace

std::string schema_markdown(const nlohmann::json& schema) { return Writer(schema).write(); }

}  // namespace ol::scenario
