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
#include <QScatterSeries>
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

void ChartsView::set_results(const std::vector<ModeResults>& rs, const scenario::Scenario* s) {
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
  if (!flows.isEmpty()) {
    add(view_of(bars("Goodput per flow", flows, gp, "Gbit/s")), 0, 0);
  } else {
    delete gp;
    auto* none = new QLabel("Goodput: this scenario has no UDP or TCP flow.", this);
    none->setAlignment(Qt::AlignCenter);
    add(none, 0, 0);
  }

  // Ping RTT p50 and p99.
  auto* rtt = new QBarSeries;
  auto *p50 = new QBarSet("p50"), *p99 = new QBarSet("p99");
  int ping = -1;  // the first ping flow that got answers (in the first mode), else the first ping flow
  for (const auto& f : rs.front().result.flows)
    if (f.proto == "icmp" && (ping < 0 || (rs.front().result.flows[std::size_t(ping)].rtt_p50_us < 0 && f.rtt_p50_us >= 0))) ping = f.flow;
  for (const auto& r : rs) {
    *p50 << (ping >= 0 ? std::max(0.0, r.result.flows[std::size_t(ping)].rtt_p50_us) : 0);
    *p99 << (ping >= 0 ? std::max(0.0, r.result.flows[std::size_t(ping)].rtt_p99_us) : 0);
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
  // The 9 steps that cost most in some mode, the rest as "other", so the legend stays readable.
  std::vector<std::pair<double, std::string>> biggest;
  for (auto& [step, v] : per_step) {
    v.resize(rs.size(), 0);
    biggest.emplace_back(*std::max_element(v.begin(), v.end()), step);
  }
  std::sort(biggest.rbegin(), biggest.rend());
  std::vector<double> other(rs.size(), 0);
  auto* cpu = new QStackedBarSeries;
  for (std::size_t i = 0; i < biggest.size(); ++i) {
    const auto& v = per_step[biggest[i].second];
    if (i >= 9) {
      for (std::size_t m = 0; m < v.size(); ++m) other[m] += v[m];
      continue;
    }
    auto* set = new QBarSet(QString::fromStdString(biggest[i].second));
    for (double x : v) *set << x;
    cpu->append(set);
  }
  if (biggest.size() > 9) {
    auto* set = new QBarSet("other steps");
    for (double x : other) *set << x;
    cpu->append(set);
  }
  auto* cpu_chart = bars(QString("CPU per packet by step (flow %1, both nodes)").arg(mf), modes, cpu, "ns / packet");
  auto* cpu_view = view_of(cpu_chart);
  cpu_chart->legend()->setAlignment(Qt::AlignRight);
  QFont small = cpu_chart->legend()->font();
  small.setPointSizeF(7.5);
  cpu_chart->legend()->setFont(small);
  add(cpu_view, 1, 0);

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

  // Timeline: every ping echo of the mode shown first in the list (delivered or not) against the
  // scenario's events.
  const ModeResults& tl_run = rs.back();
  auto* tl = new QChart;
  tl->setTitle(QString::fromStdString("Timeline (" + std::string(scenario::backend_name(tl_run.mode)) + "): events and ping echoes"));
  auto* tx = new QValueAxis;
  tx->setTitleText("simulated time (s)");
  auto* ty = new QValueAxis;
  ty->setTitleText("flow");
  ty->setLabelFormat("%d");
  tl->addAxis(tx, Qt::AlignBottom);
  tl->addAxis(ty, Qt::AlignLeft);
  auto* ok = new QScatterSeries;
  ok->setName("echo answered");
  ok->setColor(QColor(40, 150, 60));
  ok->setMarkerSize(8);
  auto* lost = new QScatterSeries;
  lost->setName("echo lost");
  lost->setColor(QColor(200, 40, 40));
  lost->setMarkerSize(8);
  double t_max = 0.1;
  int flows_n = 1;
  for (std::size_t f = 0; f < tl_run.result.echoes.size(); ++f)
    for (const auto& [t, answered] : tl_run.result.echoes[f]) {
      (answered ? ok : lost)->append(t, double(f));
      t_max = std::max(t_max, t);
      flows_n = std::max(flows_n, int(f) + 1);
    }
  tl->addSeries(ok);
  tl->addSeries(lost);
  for (auto* series : {ok, lost}) series->attachAxis(tx), series->attachAxis(ty);
  if (s) {
    std::vector<std::pair<double, std::string>> events;
    for (const auto& n : s->nodes)
      if (n.joins_at) events.emplace_back(double(*n.joins_at) / 1e9, n.name + " joins");
    for (const auto& e : s->events)
      if (e.kind != scenario::EventKind::NodeJoin)
        events.emplace_back(double(e.at) / 1e9, e.target + (e.kind == scenario::EventKind::NodeLeave ? " leaves" : " deleted"));
    for (const auto& [t, what] : events) {
      auto* line = new QLineSeries;
      line->setName(QString::fromStdString(what));
      line->append(t, -1);
      line->append(t, double(flows_n));
      tl->addSeries(line);
      line->attachAxis(tx);
      line->attachAxis(ty);
      t_max = std::max(t_max, t);
    }
  }
  tx->setRange(0, t_max * 1.1);
  ty->setRange(-1, double(flows_n));
  ty->setTickCount(flows_n + 2);
  add(view_of(tl), 1, 2);
}

}  // namespace ol::gui
