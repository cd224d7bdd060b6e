// The teaching application's window: open a scenario, choose the mode and two pods, walk a packet
// step by step on the topology with its panel, see the three modes side by side, inspect every
// table, and chart a run of the scenario's workloads.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QMainWindow>

#include "gui/core/cluster_picture.h"
#include "runner/walk_recording.h"
#include "models/scenario/spec.h"

class QComboBox;
class QLabel;
class QSlider;
class QTabWidget;
class QTimer;
class QMessageBox;

namespace ol::gui {

class ChallengeView;
class ChartsView;
class ControlView;
class PluginsView;
class SideBySideView;
class TablesView;
class TopologyView;
class WalkPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a scenario; on an error shows the loader's message in a dialog and returns false.
  bool open_scenario(const QString& path);
  void set_mode(scenario::Backend mode);
  scenario::Backend mode() const { return mode_; }
  // Walks a packet between two pods in the current mode (and in all three for the side by side).
  bool walk(const std::string& from, const std::string& to);
  // What if: applies one more ip/bridge command to the current mode's cluster, redraws the tables
  // and walks again; false (with the reason in a dialog) when the kernel refuses it.
  bool add_edit(const std::string& command);
  void reset_edits();
  const std::vector<std::string>& edits() const { return edits_; }
  void go_to_step(int step);  // 0-based
  int step() const { return step_; }
  int step_count() const { return walk_ ? int(walk_->steps.size()) : 0; }
  // The first step running `function` (e.g. "vxlan_xmit"), or -1.
  int find_step(const std::string& function) const;
  // Runs the workloads in the three modes; `wait` blocks until done (screenshots, tests).
  void run_all_modes(bool wait);
  void show_view(const QString& name);  // walk, side, plugins, tables, control, charts, challenge
  bool save_png(const QString& file);
  // The current walk as one self-contained HTML page (runner::walk_html); false with a dialog when
  // there is no walk or the file cannot be written.
  bool export_html(const QString& file);

  const runner::WalkRecording* current_walk() const { return walk_ ? &*walk_ : nullptr; }
  WalkPanel* panel() const { return panel_; }
  TopologyView* topology() const { return topology_; }
  SideBySideView* side_by_side() const { return side_; }
  PluginsView* plugins() const { return plugins_; }
  ChartsView* charts() const { return charts_; }
  TablesView* tables() const { return tables_; }
  ChallengeView* challenge() const { return challenge_; }
  ControlView* control() const { return control_; }
  // A new challenge round from the current walk, on the Challenge tab; false without a walk.
  bool start_challenge();
  QString last_error() const { return last_error_; }
  QMessageBox* error_box() const { return error_box_; }

 protected:
  // The walk's keys (→ ←, Home End, Space) work wherever the focus is: the window filters them
  // before any widget (a slider, a combo box, a button) can take them as its own.
  bool eventFilter(QObject* watched, QEvent* e) override;

 private:
  void build_menus();
  bool walk_key(int key);  // steps or plays; false when `key` is not one of the walk's
  QWidget* build_walk_tab();
  void refresh_cluster();
  void refresh_plugins();  // the bridge vs ptp tab, computed when it is shown
  void show_error(const QString& title, const QString& text);

  std::optional<scenario::Scenario> scenario_;
  scenario::Backend mode_ = scenario::Backend::Vxlan;
  std::optional<runner::WalkRecording> walk_;
  std::vector<std::string> edits_;  // what-if commands on the current mode's cluster
  std::array<std::optional<runner::WalkRecording>, 3> walks_;
  int step_ = -1;
  QString last_error_;
  QMessageBox* error_box_ = nullptr;

  QTabWidget* tabs_;
  QWidget* walk_tab_;
  QComboBox *mode_box_, *from_box_, *to_box_;
  QLabel* step_label_;
  QSlider* speed_;
  QTimer* play_;
  TopologyView* topology_;
  WalkPanel* panel_;
  SideBySideView* side_;
  PluginsView* plugins_;
  bool plugins_stale_ = true;
  TablesView* tables_;
  ChartsView* charts_;
  ChallengeView* challenge_;
  ControlView* control_;
};

}  // namespace ol::gui
