#include <mutex>
#include <set>
#include <string>

#include "models/netconfig/ops.h"

namespace ol::netconfig {

std::string_view intern_origin(std::string_view text) {
  static std::mutex lock;  // the GUI builds scenarios off its UI thread
  static std::set<std::string, std::less<>> texts;  // a node's address never moves
  const std::lock_guard<std::mutex> hold(lock);
  auto it = texts.find(text);
  if (it == texts.end()) it = texts.emplace(text).first;
  return *it;
}

}  // namespace ol::netconfig
