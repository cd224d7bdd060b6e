// Results are written whole or not at all: to a temporary file beside the target, flushed, then
// renamed over it (rename(2) is atomic within a file system).
#pragma once
#include <string>

namespace ol::runner {

// Creates the parent directories. Throws std::runtime_error naming the path and the reason.
void write_atomically(const std::string& path, const std::string& contents);

}  // namespace ol::runner
