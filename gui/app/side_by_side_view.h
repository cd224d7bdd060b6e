// The same packet in host-gw, udp and vxlan in lockstep: one row per aligned step (a gap where a
// mode has no such step), the differences coloured — steps only some modes take, crossings,
// sizes that differ — and a summary of hops, crossings, bytes on the wire per mode; under it, each
// mode's frame as it leaves the sending node, field by field: the bytes each tunnel costs.
#pragma once
#include <array>

#include <QWidget>

#include "gui/core/alignment.h"
#include "runner/walk_recording.h"

class QLabel;
class QTableWidget;
class QTreeWidget;

namespace ol::gui {

class SideBySideView : public QWidget {
  Q_OBJECT
 public:
  explicit SideBySideView(QWidget* parent = nullptr);
  // walks: host-gw, udp, vxlan (the request leg of each is aligned).
  void set_walks(const std::array<const runner::WalkRecording*, 3>& walks);
  void select_row(int row);
  // Lockstep with the walk: selects the row holding step `step` of walk `column` (0 host-gw, 1 udp,
  // 2 vxlan); returns the row, or -1.
  int follow(int column, int step);
  int rows() const { return int(rows_.size()); }
  QTableWidget* table() const { return table_; }
  QTreeWidget* frame_tree(int column) const { return frames_[std::size_t(column)]; }

 private:
  std::vector<AlignedRow> rows_;
  QTableWidget* table_;
  QLabel* summary_;
  std::array<QTreeWidget*, 3> frames_;
};

}  // namespace ol::gui
