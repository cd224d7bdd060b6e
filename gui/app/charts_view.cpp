#include "gui/app/charts_view.h"

#include <algorithm>
#include <map>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QCursor>
#include <QLabel>
#include <QLegendMarker>
#include <QToolTip>
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

  // Timeline: packets delivered per bin (all flows), one line per mode, the scenario's events as
  // vertical lines: what a fault (flanneld crashing, a link going down) costs each mode.
  auto* tl = new QChart;
  tl->setTitle("Timeline: packets delivered per 100 ms (all flows); events dashed (hover to name)");
  auto* tx = new QValueAxis;
  tx->setTitleText("simulated time (s)");
  auto* ty = new QValueAxis;
  ty->setTitleText("packets delivered");
  ty->setLabelFormat("%d");
  tl->addAxis(tx, Qt::AlignBottom);
  tl->addAxis(ty, Qt::AlignLeft);
  double t_max = 0.1, y_max = 1;
  for (const auto& r : rs) {
    std::map<double, std::uint64_t> per_bin;
    for (const auto& row : r.result.timeline) per_bin[row.t_s] += row.delivered;
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(scenario::backend_name(r.mode)));
    const double bin = per_bin.size() > 1 ? std::next(per_bin.begin())->first - per_bin.begin()->first : 0.1;
    for (const auto& [t, n] : per_bin) {  // a step per bin
      line->append(t, double(n));
      line->append(t + bin, double(n));
      t_max = std::max(t_max, t + bin);
      y_max = std::max(y_max, double(n));
    }
    tl->addSeries(line);
    line->attachAxis(tx);
    line->attachAxis(ty);
  }
  if (s) {
    std::vector<std::pair<double, std::string>> events;
    for (const auto& n : s->nodes)
      if (n.joins_at) events.emplace_back(double(*n.joins_at) / 1e9, n.name + " joins");
    for (const auto& m : runner::event_marks(*s)) events.emplace_back(m.t_s, m.label);
    for (const auto& [t, what] : events) {
      auto* line = new QLineSeries;
      line->setName(QString::fromStdString(what));
      QPen pen(QColor(120, 120, 120));
      pen.setStyle(Qt::DashLine);
      line->setPen(pen);
      line->append(t, 0);
      line->append(t, y_max * 1.05);
      tl->addSeries(line);
      line->attachAxis(tx);
      line->attachAxis(ty);
      for (auto* marker : tl->legend()->markers(line)) marker->setVisible(false);  // named in the tooltip
      const QString name = QString::fromStdString(what);  // (clang 14 cannot capture a structured binding)
      QObject::connect(line, &QLineSeries::hovered, line, [name](const QPointF&, bool on) {
        if (on) QToolTip::showText(QCursor::pos(), name);
      });
      t_max = std::max(t_max, t);
    }
  }
  tx->setRange(0, t_max * 1.05);
  ty->setRange(0, y_max * 1.1);
  add(view_of(tl), 1, 2);
}

}  // namespace ol::gui
