#include "gui/core/alignment.h"

#include <algorithm>

namespace ol::gui {

namespace {

// LCS alignment of `b` onto rows whose key is the first present function of each row.
std::vector<AlignedRow> align_into(const std::vector<AlignedRow>& rows, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& b, int column) {
  const std::size_t n = rows.size(), m = b.size();
  std::vector<std::vector<int>> l(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      l[i][j] = keys[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
  std::vector<AlignedRow> out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && keys[i] == b[j]) {
      AlignedRow r = rows[i++];
      r[std::size_t(column)] = int(j++);
      out.push_back(r);
    } else if (j < m && (i == n || l[i][j + 1] >= l[i + 1][j])) {
      AlignedRow r{-1, -1, -1};
      r[std::size_t(column)] = int(j++);
      out.push_back(r);
    } else {
      out.push_back(rows[i++]);
    }
  }
  return out;
}

}  // namespace

std::vector<AlignedRow> align_walks(const std::array<std::vector<std::string>, 3>& walks) {
  std::vector<AlignedRow> rows;
  for (std::size_t i = 0; i < walks[0].size(); ++i) rows.push_back({int(i), -1, -1});
  for (int c = 1; c < 3; ++c) {
    std::vector<std::string> keys;
    for (const auto& r : rows) {
      for (int k = 0; k < 3; ++k)
        if (r[std::size_t(k)] >= 0) {
          keys.push_back(walks[std::size_t(k)][std::size_t(r[std::size_t(k)])]);
          break;
        }
    }
    rows = align_into(rows, keys, walks[std::size_t(c)], c);
  }
  return rows;
}

}  // namespace ol::gui
