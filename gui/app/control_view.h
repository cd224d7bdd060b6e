// The control-plane walk: choose a pod (its creation: kubelet, then the CNI plugins) or a node (its
// join: its flanneld, then each peer's), then step through the commands; the inspector on the
// right fills as the rows are written, the current command's rows highlighted (green added, red
// removed), each with the component that wrote it.
#pragma once
#include <optional>

#include <QWidget>

#include "models/scenario/spec.h"
#include "runner/control_walk.h"

class QComboBox;
class QLabel;
class QListWidget;
class QTreeWidget;

namespace ol::gui {

class ControlView : public QWidget {
  Q_OBJECT
 public:
  explicit ControlView(QWidget* parent = nullptr);
  void set_scenario(const scenario::Scenario* s, scenario::Backend mode);
  // "pod NAME" or "node NAME"; false (and a message in the view) when it cannot be recorded.
  bool show_subject(const QString& subject);
  void go_to(int step);  // 0-based
  int step() const { return step_; }
  int step_count() const { return walk_ ? int(walk_->steps.size()) : 0; }
  const runner::ControlWalk* walk() const { return walk_ ? &*walk_ : nullptr; }
  QTreeWidget* inspector() const { return inspector_; }
  QListWidget* commands() const { return commands_; }

 private:
  void fill_inspector();
  const scenario::Scenario* scenario_ = nullptr;
  scenario::Backend mode_ = scenario::Backend::Vxlan;
  std::optional<runner::ControlWalk> walk_;
  int step_ = -1;
  QComboBox* subjects_;
  QLabel* title_;
  QListWidget* commands_;
  QTreeWidget* inspector_;
};

}  // namespace ol::gui
