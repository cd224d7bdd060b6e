// The files the control plane writes on a node (flanneld's subnet.env, host-local's store, the
// flannel CNI plugin's saved delegate config), kept as path → contents in the real layout, so a
// person can read them and the validation mode can compare them with what real plugins write.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace ol::netconfig {

class Files {
 public:
  void write(const std::string& path, std::string contents) { files_[path] = std::move(contents); }
  bool remove(const std::string& path) { return files_.erase(path) > 0; }
  bool exists(const std::string& path) const { return files_.count(path) > 0; }
  const std::string* read(const std::string& path) const {
    auto it = files_.find(path);
    return it == files_.end() ? nullptr : &it->second;
  }
  // The paths directly inside `dir` (no trailing slash), sorted.
  std::vector<std::string> list(const std::string& dir) const;
  const std::map<std::string, std::string>& all() const { return files_; }

 private:
  std::map<std::string, std::string> files_;
};

inline std::vector<std::string> Files::list(const std::string& dir) const {
  std::vector<std::string> out;
  const std::string prefix = dir + "/";
  for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    if (it->first.find('/', prefix.size()) == std::string::npos) out.push_back(it->first);
  return out;
}

}  // namespace ol::netconfig
