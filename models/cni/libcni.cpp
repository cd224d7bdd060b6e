#include "models/cni/libcni.h"

#include <fmt/format.h>

namespace ol::cni {

using nlohmann::json;

namespace {

std::string description(const json& p) {
  std::string s = fmt::format("type=\"{}\"", p.value("type", ""));
  if (p.contains("name") && p["name"].is_string()) s += fmt::format(" name=\"{}\"", p["name"].get<std::string>());
  return s;
}

// buildOneConfig + injectRuntimeConfig.
// `prev` by value: ADD moves each result into the next plugin's configuration instead of copying it.
json build_one_config(const ConfList& list, const json& plugin, std::optional<json> prev, const json& caps) {
  json c = plugin;
  c["name"] = list.name;
  c["cniVersion"] = list.cni_version;
  if (prev) c["prevResult"] = std::move(*prev);
  json rc = json::object();
  if (const auto declared = plugin.find("capabilities"); declared != plugin.end())
    for (auto it = declared->begin(); it != declared->end(); ++it)
      if (it->is_boolean() && it->get<bool>() && caps.contains(it.key())) rc[it.key()] = caps[it.key()];
  if (!rc.empty()) c["runtimeConfig"] = rc;
  return c;
}

std::string cache_path(const ConfList& list, const Runtime& rt) {
  return fmt::format("{}/{}-{}-{}", kResultsDir, list.name, rt.container_id, rt.ifname);
}

std::optional<json> cached_result(const ConfList& list, const Runtime& rt, const PluginHost& h) {
  const std::string* text = h.files.read(cache_path(list, rt));
  if (!text) return std::nullopt;
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.contains("result")) return std::nullopt;
  return j["result"];
}

CniError failed(const json& plugin, const char* verb, const CniError& e) {
  return CniError(e.code, fmt::format("plugin {} failed ({}): {}", description(plugin), verb, e.what()), e.details);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> k8s_cni_args(const std::string& pod_namespace, const std::string& pod_name,
                                                              const std::string& sandbox_id) {
  return {{"IgnoreUnknown", "1"},
          {"K8S_POD_NAMESPACE", pod_namespace},
          {"K8S_POD_NAME", pod_name},
          {"K8S_POD_INFRA_CONTAINER_ID", sandbox_id}};
}

Result add_network_list(const ConfList& list, const Runtime& rt, PluginHost& h, const json& caps) {
  std::optional<json> prev;
  Result r;
  for (const auto& plugin : list.plugins) {
    const json conf = build_one_config(list, plugin, std::move(prev), caps);
    try {
      r = exec_plugin(plugin["type"].get<std::string>(), "ADD", conf, rt, h);
    } catch (const CniError& e) {
      throw failed(plugin, "add", e);
    }
    prev = result_json(r, list.cni_version);
  }
  // cacheAdd: the last result and the list, for DEL and CHECK (keys in encoding/json's order; the
  // text written directly: this runs for every pod of a 150,000-pod cluster).
  h.files.write(cache_path(list, rt),
                fmt::format(R"({{"containerId":{},"ifName":{},"kind":"cniCacheV1","networkName":{},"result":{}}})",
                            json(rt.container_id).dump(), json(rt.ifname).dump(), json(list.name).dump(), prev->dump()));
  return r;
}

void del_network_list(const ConfList& list, const Runtime& rt, PluginHost& h, const json& caps) {
  std::optional<json> cached;
  if (version_at_least(list.cni_version, "0.4.0")) cached = cached_result(list, rt, h);
  for (auto it = list.plugins.rbegin(); it != list.plugins.rend(); ++it) {
    try {
      exec_plugin((*it)["type"].get<std::string>(), "DEL", build_one_config(list, *it, cached, caps), rt, h);
    } catch (const CniError& e) {
      throw failed(*it, "delete", e);
    }
  }
  h.files.remove(cache_path(list, rt));
}

void check_network_list(const ConfList& list, const Runtime& rt, PluginHost& h, const json& caps) {
  if (!version_at_least(list.cni_version, "0.4.0"))
    throw CniError(1, fmt::format("configuration version \"{}\" does not support the CHECK command", list.cni_version));
  if (list.disable_check) return;
  const auto cached = cached_result(list, rt, h);
  if (!cached)
    throw CniError(999, fmt::format("failed to get network \"{}\" cached result: no cached result for container {}",
                                    list.name, rt.container_id));
  for (const auto& plugin : list.plugins) {
    try {
      exec_plugin(plugin["type"].get<std::string>(), "CHECK", build_one_config(list, plugin, cached, caps), rt, h);
    } catch (const CniError& e) {
      throw failed(plugin, "check", e);
    }
  }
}

const ConfList& loopback_network() {
  static const ConfList l{"", "cni-loopback", "0.3.1", false, {json{{"type", "loopback"}}}};
  return l;
}

json k8s_capability_args() { return {{"portMappings", json::array()}}; }

}  // namespace ol::cni
