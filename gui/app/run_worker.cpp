#include "gui/app/run_worker.h"

namespace ol::gui {

void RunWorker::run() {
  const scenario::Backend modes[] = {scenario::Backend::HostGw, scenario::Backend::Udp, scenario::Backend::Vxlan};
  for (int i = 0; i < 3 && !cancelled_; ++i) {
    const QString name = QString::fromStdString(scenario::backend_name(modes[i]));
    runner::RunOptions o;
    o.progress = [&](double f) {
      Q_EMIT progress(int((i + f) * 100 / 3), "running " + name);
      return !cancelled_.load();
    };
    results.push_back({modes[i], runner::run_mode(s_, modes[i], o)});
  }
  Q_EMIT progress(100, cancelled_ ? "cancelled" : "done");
}

}  // namespace ol::gui
