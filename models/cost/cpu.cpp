#include "models/cost/cpu.h"

namespace ol::cost {

Nanos NodeCpu::busy_total() const {
  Nanos t = 0;
  for (Nanos b : busy_) t += b;
  return t;
}

}  // namespace ol::cost
