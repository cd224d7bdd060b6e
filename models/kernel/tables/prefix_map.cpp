#include "models/kernel/tables/prefix_map.h"

namespace ol::kernel {

RouteList& PrefixMap::operator[](std::uint64_t key) {
  if (const std::uint32_t* i = index_.find(key)) return lists_[*i];
  const std::uint32_t slot = lists_.take();
  index_.insert(key, slot);
  return lists_[slot];
}

void PrefixMap::erase(std::uint64_t key) {
  const std::uint32_t* i = index_.find(key);
  if (!i) return;
  const std::uint32_t slot = *i;
  index_.erase(key);
  lists_.give_back(slot);
}

}  // namespace ol::kernel
