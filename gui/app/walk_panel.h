// The side panel of the packet walk: for the current step, the kernel function and where it ran,
// the table it consulted with the matched row highlighted (as ip/bridge print it), the header
// stack as a tree, the time and CPU cost so far, and the user/kernel lanes with the crossings.
#pragma once
#include <QWidget>

#include "runner/walk_recording.h"

class QLabel;
class QListWidget;
class QTreeWidget;

namespace ol::gui {

class LaneDiagram;

class WalkPanel : public QWidget {
  Q_OBJECT
 public:
  explicit WalkPanel(QWidget* parent = nullptr);
  void set_walk(const runner::WalkRecording* walk);
  void show_step(int step);
  // What is highlighted in the table now ("" when no row is): tests compare it with the trace.
  QString highlighted_row() const;
  QString stage_text() const;  // "Stage 5 of 9: …" for the step shown
  QTreeWidget* header_tree() const { return headers_; }
  // Every header's fields with offsets and values, at this step and, where the next steps build
  // or strip a header, after them: top-level items per frame, then headers, then fields.
  QTreeWidget* frame_tree() const { return frames_; }
  LaneDiagram* lanes() const { return lanes_; }

 private:
  void add_stack(const std::string& title, const std::vector<runner::HeaderLayer>& stack);
  int next_change(int k) const;  // the step (up to 3 of the same packet on) whose headers differ, or -1
  const runner::WalkRecording* walk_ = nullptr;
  QLabel *stage_, *function_, *where_, *verdict_, *table_title_, *costs_, *crossing_;
  QListWidget* table_;
  QTreeWidget* headers_;
  QTreeWidget* frames_;
  LaneDiagram* lanes_;
};

}  // namespace ol::gui
