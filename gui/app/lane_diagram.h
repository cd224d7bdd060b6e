// Two lanes, user space above and the kernel below, with one tick per step of the walk on the
// lane it ran in and an arrow at each kernel/user crossing (tun_do_read going up, tun_get_user
// coming down, …); the current step is marked.
#pragma once
#include <QWidget>

#include "runner/walk_recording.h"

namespace ol::gui {

class LaneDiagram : public QWidget {
  Q_OBJECT
 public:
  explicit LaneDiagram(QWidget* parent = nullptr);
  void set_walk(const runner::WalkRecording* walk);
  void set_current(int step);
  QSize sizeHint() const override { return {420, 110}; }
  int crossings_shown() const;  // the arrows drawn: the walk's crossings (tests)

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  const runner::WalkRecording* walk_ = nullptr;
  int current_ = -1;
};

}  // namespace ol::gui
