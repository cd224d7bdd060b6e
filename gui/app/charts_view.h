// The modes compared from a run (Qt Charts): goodput per flow, ping RTT p50/p99, CPU per packet
// stacked by step, crossings per packet, the RTT CDF of the ping flow, and a timeline of packets
// delivered per mode against the scenario's events (joins, leaves, faults).
#pragma once
#include <vector>

#include <QWidget>

#include "gui/app/run_worker.h"

class QGridLayout;
class QLabel;

namespace ol::gui {

class ChartsView : public QWidget {
  Q_OBJECT
 public:
  explicit ChartsView(QWidget* parent = nullptr);
  void set_results(const std::vector<ModeResults>& results, const scenario::Scenario* s = nullptr);
  int charts() const { return charts_; }

 private:
  void add(QWidget* chart, int row, int col);
  QGridLayout* grid_;
  QLabel* hint_;
  int charts_ = 0;
};

}  // namespace ol::gui
