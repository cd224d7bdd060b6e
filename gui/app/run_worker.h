// Runs a scenario's workloads in the three modes off the UI thread, through the same runner as
// `overlaylab compare`, reporting progress; cancel stops within about 1% of the mode's run.
#pragma once
#include <atomic>
#include <vector>

#include <QThread>

#include "models/scenario/spec.h"
#include "runner/run.h"

namespace ol::gui {

struct ModeResults {
  scenario::Backend mode;
  runner::RunResult result;
};

class RunWorker : public QThread {
  Q_OBJECT
 public:
  RunWorker(scenario::Scenario s, QObject* parent = nullptr) : QThread(parent), s_(std::move(s)) {}
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }
  std::vector<ModeResults> results;  // read after finished()

 Q_SIGNALS:
  void progress(int percent, QString what);

 protected:
  void run() override;

 private:
  scenario::Scenario s_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace ol::gui
