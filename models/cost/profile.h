// A cost profile: what each modelled step costs a core, per packet and per byte (models/cost/
// default.json is the documented default, compiled in). Steps are an enum so that charging one on
// the hot path is an array index, not a string lookup.
#pragma once
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/time.h"

namespace ol::cost {

enum class Step : std::uint8_t {
  NetifReceiveSkb, BrHandleFrame, IpRcv, FibLookup, IpForward, IpOutput, VethXmit, NicXmit, VxlanXmit, VxlanRcv,
  UdpSendmsg, UdpQueueRcvSkb, UdpRecvmsg, TunNetXmit, TunDoRead, TunGetUser, IcmpRcv, TcpSendmsg, TcpV4Rcv,
  Syscall, Wakeup, CopyToUser, CopyFromUser, Csum, GsoSegment, NapiGroReceive, AppWork,
  kCount
};
inline constexpr std::size_t kSteps = std::size_t(Step::kCount);
const char* step_name(Step s);  // the kernel function's name, as in default.json

struct StepCost {
  double per_packet_ns = 0;
  double per_byte_ns = 0;
  std::string source;
};

class ProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Profile {
  std::string name;
  int version = 0;
  std::string description;
  std::array<StepCost, kSteps> steps{};

  Nanos cost(Step s, std::uint32_t bytes) const {
    const StepCost& c = steps[std::size_t(s)];
    return Nanos(c.per_packet_ns + c.per_byte_ns * bytes + 0.5);
  }
  // Throws ProfileError naming the file, the key and the fix.
  static Profile parse(const std::string& json_text, const std::string& file);
  static Profile load_file(const std::string& path);
  static const Profile& builtin();  // models/cost/default.json
  std::string to_json() const;       // in default.json's form; parse(to_json()) gives it back
};

}  // namespace ol::cost
