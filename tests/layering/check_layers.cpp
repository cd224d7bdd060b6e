// Reads every #include "…" under a source tree and fails, naming file and line, when a file
// includes from a layer above its own (README.md, "Layers", draws the same table).
//
//   overlaylab-check-layers ROOT        exit 0: no upward include; 1: each one printed; 2: bad use
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Layer {
  std::string_view folder;  // a path prefix, relative to the root
  int rank;
};

// Bottom to top. Folders of one rank may include each other.
constexpr Layer kLayers[] = {
    {"sim/", 0},
    {"models/wire/", 1},
    {"models/netconfig/", 2}, {"models/cost/", 2}, {"models/kernel/", 2},
    {"models/cni/", 3}, {"models/flannel/", 3}, {"models/userspace/", 3}, {"models/scenario/", 3},
    {"lab/", 4},
    {"runner/", 5},
    {"validate/", 6},
    {"cli/", 7}, {"gui/", 7},
};

// Narrower rules inside a layer: the control plane reaches the kernels only through NetConfig,
// and the scenario loader depends only on what it parses into.
struct Forbidden {
  std::string_view from, to, why;
  std::string_view except = {};
};
constexpr Forbidden kForbidden[] = {
    {"models/cni/", "models/kernel/", "the control plane speaks to a kernel only through NetConfig"},
    {"models/flannel/", "models/kernel/", "the control plane speaks to a kernel only through NetConfig"},
    {"models/scenario/", "models/kernel/", "the loader depends only on what it parses into"},
    {"models/scenario/", "models/netconfig/", "the loader depends only on what it parses into"},
    {"models/scenario/", "models/cost/", "the loader depends only on what it parses into"},
    {"models/scenario/", "models/userspace/", "the loader depends only on what it parses into"},
    {"models/scenario/", "models/flannel/", "the loader depends only on what it parses into", "models/flannel/net_conf.h"},
    {"models/scenario/", "models/cni/", "the loader depends only on what it parses into", "models/cni/conf.h"},
};

const Layer* layer_of(std::string_view path) {
  const Layer* best = nullptr;
  for (const Layer& l : kLayers)
    if (path.starts_with(l.folder) && (!best || l.folder.size() > best->folder.size())) best = &l;
  return best;
}

bool is_source(const fs::path& p) {
  const auto e = p.extension();
  return e == ".h" || e == ".cpp" || e == ".in";
}

int check_file(const fs::path& root, const fs::path& file) {
  const std::string rel = fs::relative(file, root).generic_string();
  const Layer* own = layer_of(rel);
  if (!own) return 0;
  static const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::ifstream in(file);
  std::string line;
  int faults = 0;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, include)) continue;
    const std::string target = m[1];
    const Layer* to = layer_of(target);
    if (to && to->rank > own->rank) {
      std::cout << rel << ":" << n << ": includes \"" << target << "\" from layer " << to->rank << " ("
                << to->folder << ") above its own layer " << own->rank << " (" << own->folder << ")\n";
      ++faults;
    }
    for (const Forbidden& f : kForbidden)
      if (rel.starts_with(f.from) && target.starts_with(f.to) && target != f.except) {
        std::cout << rel << ":" << n << ": includes \"" << target << "\": " << f.why << "\n";
        ++faults;
      }
  }
  return faults;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: overlaylab-check-layers SOURCE-ROOT\n";
    return 2;
  }
  const fs::path root = argv[1];
  std::vector<fs::path> files;
  for (const Layer& l : kLayers) {
    const fs::path dir = root / l.folder;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && is_source(e.path())) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  int faults = 0;
  for (const auto& f : files) faults += check_file(root, f);
  std::cout << files.size() << " files checked, " << faults << " upward includes\n";
  return faults ? 1 : 0;
}
