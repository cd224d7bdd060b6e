#include "models/cni/host_local.h"

#include <fmt/format.h>

#include "models/cni/invoke.h"
#include "models/cni/result.h"

namespace ol::cni {

using wire::Ipv4Addr;

namespace {

struct Range {  // Range.Canonicalize: start = network + 1, end = broadcast - 1, gateway = network + 1
  Ipv4Addr start, end, gateway;
};

Range canonical(const HostLocalConf& c) {
  const auto net = c.subnet.network(), bcast = c.subnet.broadcast();
  return {c.range_start.value_or(Ipv4Addr{net.v + 1}), c.range_end.value_or(Ipv4Addr{bcast.v - 1}),
          c.gateway.value_or(Ipv4Addr{net.v + 1})};
}

std::string dir_of(const HostLocalConf& c, const std::string& network) { return c.data_dir + "/" + network; }

}  // namespace

IpamResult HostLocal::add(const HostLocalConf& c, const std::string& network, const std::string& container_id,
                          const std::string& ifname) {
  const Range r = canonical(c);
  const std::string dir = dir_of(c, network);
  if (!files_.exists(dir + "/lock")) files_.write(dir + "/lock", "");  // disk.New creates the lock file
  // The iterator starts after the last reserved address when it is in the range, else at the start.
  Ipv4Addr first = r.start;
  if (const std::string* last = files_.read(dir + "/last_reserved_ip.0"))
    if (auto a = Ipv4Addr::parse(*last); a && *a >= r.start && *a < r.end) first = Ipv4Addr{a->v + 1};
  const std::uint64_t n = std::uint64_t(r.end.v) - r.start.v + 1;
  for (std::uint64_t i = 0; i < n; ++i) {
    Ipv4Addr ip{std::uint32_t(r.start.v + (first.v - r.start.v + i) % n)};
    if (ip == r.gateway) continue;
    const std::string path = dir + "/" + ip.str();
    if (files_.exists(path)) continue;
    files_.write(path, container_id + "\r\n" + ifname);
    files_.write(dir + "/last_reserved_ip.0", ip.str());
    IpamResult res{{ip, c.subnet.len}, r.gateway, c.routes};
    for (auto& rt : res.routes)
      if (!rt.gw) rt.gw = r.gateway;
    return res;
  }
  throw CniError(11, fmt::format("no IP addresses available in range set: {}-{}", r.start.str(), r.end.str()));
}

void HostLocal::del(const HostLocalConf& c, const std::string& network, const std::string& container_id,
                    const std::string& ifname) {
  const std::string want = container_id + "\r\n" + ifname;
  for (const auto& path : files_.list(dir_of(c, network))) {
    const std::string* body = files_.read(path);
    if (body && *body == want) files_.remove(path);
  }
}

Result host_local_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h) {
  if (!conf.contains("ipam")) throw CniError(7, "IPAM config missing 'ipam' key");
  const HostLocalConf c = host_local_conf(conf["ipam"]);
  const std::string network = conf["name"].get<std::string>();
  HostLocal store(h.files);
  if (command == "ADD") return ipam_result(store.add(c, network, rt.container_id, rt.ifname), c.routes);
  if (command == "DEL") {
    store.del(c, network, rt.container_id, rt.ifname);
    return {};
  }
  // CHECK: the container must still hold an address in the store.
  const std::string want = rt.container_id + "\r\n" + rt.ifname;
  for (const auto& path : h.files.list(c.data_dir + "/" + network))
    if (const std::string* body = h.files.read(path); body && *body == want) return {};
  throw CniError(999, fmt::format("host-local: Failed to find address added by container {}", rt.container_id));
}

}  // namespace ol::cni
