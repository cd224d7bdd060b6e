// A VXLAN device's forwarding database (drivers/net/vxlan/vxlan_core.c): inner destination MAC →
// remote VTEPs. `bridge fdb append` adds another remote to a MAC; the all-zeros MAC is the default
// entry used when the destination is unknown.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "models/wire/addr.h"

namespace ol::kernel {

struct VxlanFdbEntry {
  wire::MacAddr mac;
  std::vector<wire::Ipv4Addr> remotes;
  bool permanent = true;
};

class VxlanFdb {
 public:
  enum class Result { Ok, Exists, NotFound };

  const VxlanFdbEntry* find(const wire::MacAddr& mac) const;
  Result add(const wire::MacAddr& mac, wire::Ipv4Addr dst);      // NLM_F_EXCL
  Result append(const wire::MacAddr& mac, wire::Ipv4Addr dst);   // NLM_F_APPEND
  Result replace(const wire::MacAddr& mac, wire::Ipv4Addr dst);  // NLM_F_REPLACE
  Result remove(const wire::MacAddr& mac, std::optional<wire::Ipv4Addr> dst);
  std::vector<const VxlanFdbEntry*> dump() const;

 private:
  std::unordered_map<std::uint64_t, VxlanFdbEntry> entries_;
};

}  // namespace ol::kernel
