#include "gui/app/charts_view.h"

#include <algorithm>
#include <map>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QStackedBarSeries>
#include <QValueAxis>

namespace ol::gui {

namespace {

QStringList mode_names(const std::vector<ModeResults>& rs) {
  QStringList l;
  for (const auto& r : rs) l << QString::fromStdString(scenario::backend_name(r.mode));
  return l;
}

QChartView* view_of(QChart* c) {
  c->legend()->setAlignment(Qt::AlignBottom);
  c->setAnimationOptions(QChart::NoAnimation);
  auto* v = new QChartView(c);
  v->setRenderHint(QPainter::Antialiasing);
  v->setMinimumSize(360, 260);
  return v;
}

QChart* bars(const QString& title, const QStringList& categories, QAbstractBarSeries* series, const QString& unit) {
  auto* c = new QChart;
  c->setTitle(title);
  c->addSeries(series);
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  c->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  auto* y = new QValueAxis;
  y->setTitleText(unit);
  y->setLabelFormat("%.3g");
  c->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  return c;
}

// The flow the per-packet charts describe: the first non-ping flow (its packets dominate), else 0.
int main_flow(const runner::RunResult& r) {
  for (const auto& f : r.flows)
    if (f.proto != "icmp") return f.flow;
  return r.flows.empty() ? -1 : 0;
}

}  // namespace

ChartsView::ChartsView(QWidget* parent) : QWidget(parent) {
  grid_ = new QGridLayout(this);
  hint_ = new QLabel("Run the scenario's workloads (Run ▸ Run all modes) to compare the modes here.", this);
  grid_->addWidget(hint_, 0, 0);
}

void ChartsView::add(QWidget* chart, int row, int col) {
  grid_->addWidget(chart, row, col);
  ++charts_;
}

void ChartsView::set_results(const std::vector<ModeResults>& rs) {
  while (QLayoutItem* item = grid_->takeAt(0)) {
    if (item->widget() && item->widget() != hint_) item->widget()->deleteLater();
    delete item;
  }
  charts_ = 0;
  hint_->setVisible(rs.empty());
  if (rs.empty()) return grid_->addWidget(hint_, 0, 0);
  const QStringList modes = mode_names(rs);

  // Goodput of each non-ping flow, one bar per mode.
  auto* gp = new QBarSeries;
  QStringList flows;
  for (const auto& f : rs.front().result.flows)
    if (f.proto != "icmp") flows << QString("%1 %2 %3>%4").arg(f.flow).arg(QString::fromStdString(f.proto), QString::fromStdString(f.src_pod), QString::fromStdString(f.dst_pod));
  for (const auto& r : rs) {
    auto* set = new QBarSet(QString::fromStdString(scenario::backend_name(r.mode)));
    for (const auto& f : r.result.flows)
      if (f.proto != "icmp") *set << f.goodput_gbps;
    gp->append(set);
  }
  if (!flows.isEmpty()) add(view_of(bars("Goodput per flow", flows, gp, "Gbit/s")), 0, 0);
  else delete gp;

  // Ping RTT p50 and p99.
  auto* rtt = new QBarSeries;
  auto *p50 = new QBarSet("p50"), *p99 = new QBarSet("p99");
  int ping = -1;
  for (const auto& f : rs.front().result.flows)
    if (f.proto == "icmp" && ping < 0) ping = f.flow;
  for (const auto& r : rs) {
    *p50 << (ping >= 0 ? r.result.flows[std::size_t(ping)].rtt_p50_us : 0);
    *p99 << (ping >= 0 ? r.result.flows[std::size_t(ping)].rtt_p99_us : 0);
  }
  rtt->append(p50);
  rtt->append(p99);
  add(view_of(bars(ping >= 0 ? QString("Ping RTT (flow %1)").arg(ping) : "Ping RTT (no ping flow)", modes, rtt, "µs")), 0, 1);

  // CPU per packet, stacked by step, for the main flow (both nodes).
  const int mf = main_flow(rs.front().result);
  std::map<std::string, std::vector<double>> per_step;
  for (std::size_t m = 0; m < rs.size(); ++m)
    for (const auto& st : rs[m].result.steps)
      if (st.flow == mf && st.ns_per_packet > 0) {
        auto& v = per_step[st.step];
        v.resize(rs.size(), 0);
        v[m] += st.ns_per_packet;
      }
  auto* cpu = new QStackedBarSeries;
  for (auto& [step, v] : per_step) {
    v.resize(rs.size(), 0);
    auto* set = new QBarSet(QString::fromStdString(step));
    for (double x : v) *set << x;
    cpu->append(set);
  }
  auto* cpu_chart = bars(QString("CPU per packet by step (flow %1, both nodes)").arg(mf), modes, cpu, "ns / packet");
  cpu_chart->legend()->setAlignment(Qt::AlignRight);
  QFont small = cpu_chart->legend()->font();
  small.setPointSizeF(7);
  cpu_chart->legend()->setFont(small);
  add(view_of(cpu_chart), 1, 0);

  // Crossings per packet.
  auto* cr = new QBarSeries;
  auto* crs = new QBarSet("crossings / packet");
  for (const auto& r : rs) *crs << (mf >= 0 ? r.result.flows[std::size_t(mf)].crossings_per_packet : 0);
  cr->append(crs);
  add(view_of(bars(QString("Kernel/user crossings per packet (flow %1)").arg(mf), modes, cr, "crossings")), 1, 1);

  // RTT CDF of the ping flow.
  auto* cdf = new QChart;
  cdf->setTitle("Ping RTT, cumulative distribution");
  auto* x = new QValueAxis;
  x->setTitleText("RTT (µs)");
  auto* y = new QValueAxis;
  y->setRange(0, 1);
  y->setTitleText("fraction of echoes");
  cdf->addAxis(x, Qt::AlignBottom);
  cdf->addAxis(y, Qt::AlignLeft);
  double max_x = 1;
  for (const auto& r : rs) {
    if (ping < 0 || std::size_t(ping) >= r.result.rtt_samples_us.size()) continue;
    const auto& v = r.result.rtt_samples_us[std::size_t(ping)];
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(scenario::backend_name(r.mode)));
    for (std::size_t i = 0; i < v.size(); ++i) {
      line->append(v[i], double(i) / double(v.size()));
      line->append(v[i], double(i + 1) / double(v.size()));
      max_x = std::max(max_x, v[i]);
    }
    cdf->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
  }
  x->setRange(0, max_x * 1.05);
  add(view_of(cdf), 0, 2);
}

}  // namespace ol::gui
