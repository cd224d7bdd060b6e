#include "models/cni/naming.h"

#include <fmt/format.h>

namespace ol::cni {

std::uint64_t Naming::hash(std::string_view s, std::uint64_t salt) const {
  std::uint64_t h = 0xcbf29ce484222325ull ^ salt;
  for (char c : s) h = (h ^ std::uint8_t(c)) * 0x100000001b3ull;
  // splitmix64 finaliser, keyed by the seed
  h += seed_ * 0x9e3779b97f4a7c15ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

std::string Naming::container_id(std::string_view pod) const {
  std::string id;
  for (std::uint64_t k = 0; k < 4; ++k) id += fmt::format("{:016x}", hash(pod, 0x1000 + k));
  return id;
}

std::string Naming::host_veth(std::string_view container_id) const {
  return fmt::format("veth{:08x}", std::uint32_t(hash(container_id, 0x2000)));
}

wire::MacAddr Naming::mac(std::string_view what) const {
  std::uint64_t h = hash(what, 0x3000);
  wire::MacAddr m;
  for (int i = 0; i < 6; ++i) m.b[i] = std::uint8_t(h >> (8 * i));
  m.b[0] = std::uint8_t((m.b[0] & 0xfe) | 0x02);  // unicast, locally administered
  return m;
}

}  // namespace ol::cni
