#include "models/kernel/tables/prefix_map.h"

#include <utility>

namespace ol::kernel {

RouteList& PrefixMap::operator[](std::uint64_t key) {
  if (const std::uint32_t* i = index_.find(key)) return lists_[*i].routes;
  grow_by_a_quarter(lists_);
  index_.insert(key, std::uint32_t(lists_.size()));
  lists_.push_back(Entry{key, {}});
  return lists_.back().routes;
}

void PrefixMap::erase(std::uint64_t key) {
  const std::uint32_t* i = index_.find(key);
  if (!i) return;
  const std::uint32_t at = *i;
  index_.erase(key);
  if (at + 1 != lists_.size()) {
    lists_[at] = std::move(lists_.back());
    *index_.find(lists_[at].key) = at;
  }
  lists_.pop_back();
}

}  // namespace ol::kernel
