#include "gui/app/main_window.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLineEdit>
#include <QKeyEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

#include "gui/app/challenge_view.h"
#include "gui/app/charts_view.h"
#include "gui/app/control_view.h"
#include "gui/app/run_worker.h"
#include "gui/app/plugins_view.h"
#include "gui/app/side_by_side_view.h"
#include "gui/app/tables_view.h"
#include "gui/app/topology_view.h"
#include "gui/app/walk_panel.h"
#include "gui/core/layout.h"
#include "models/scenario/load.h"
#include "runner/atomic_file.h"
#include "runner/walk_html.h"

namespace ol::gui {

namespace {

const scenario::Backend kModes[] = {scenario::Backend::HostGw, scenario::Backend::Udp, scenario::Backend::Vxlan};

// The mode's column in kModes (and in the side-by-side view).
std::size_t column_of(scenario::Backend m) {
  return std::size_t(std::find(std::begin(kModes), std::end(kModes), m) - std::begin(kModes));
}

// Beside the binary: installed (<prefix>/bin → <prefix>/share/overlaylab/scenarios), or in the
// build tree (build/ → scenarios/); else the working directory's. No source path is compiled in.
QString bundled_dir() {
  const QString bin = QApplication::applicationDirPath();
  for (const QString& d : {bin + "/../share/overlaylab/scenarios", bin + "/../scenarios", QDir::currentPath() + "/scenarios"})
    if (QDir(d).exists()) return d;
  return {};
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("overlaylab — pods across nodes: host-gw, udp and vxlan");
  tabs_ = new QTabWidget(this);
  side_ = new SideBySideView(this);
  tables_ = new TablesView(this);
  charts_ = new ChartsView(this);
  challenge_ = new ChallengeView(this);
  control_ = new ControlView(this);
  walk_tab_ = build_walk_tab();
  tabs_->addTab(walk_tab_, "Packet walk");
  tabs_->addTab(side_, "Modes side by side");
  plugins_ = new PluginsView(this);
  tabs_->addTab(plugins_, "bridge vs ptp");
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (tabs_->currentWidget() == plugins_) refresh_plugins();
  });
  tabs_->addTab(tables_, "Tables");
  tabs_->addTab(control_, "Control plane");
  tabs_->addTab(charts_, "Charts");
  tabs_->addTab(challenge_, "Challenge");
  connect(challenge_, &ChallengeView::step_requested, this, [this](int k) { go_to_step(k); });
  connect(challenge_, &ChallengeView::new_round_requested, this, [this] { start_challenge(); });
  setCentralWidget(tabs_);
  build_menus();
  connect(tables_, &TablesView::delete_requested, this, [this](const QString& c) { add_edit(c.toStdString()); });
  connect(tables_, &TablesView::reset_requested, this, [this] { reset_edits(); });
  connect(tables_, &TablesView::change_requested, this, [this](const QString& c) {
    bool ok = false;
    const QString edited = QInputDialog::getText(this, "What if this entry were different?",
                                                 "Change a field (a gateway, a MAC, a remote), then walk again:", QLineEdit::Normal, c, &ok);
    if (ok && !edited.trimmed().isEmpty()) add_edit(edited.trimmed().toStdString());
  });
  play_ = new QTimer(this);
  connect(play_, &QTimer::timeout, this, [this] {
    if (step_ + 1 >= step_count()) return play_->stop();
    go_to_step(step_ + 1);
  });
  resize(1500, 900);
  statusBar()->showMessage("Open a scenario (File ▸ Bundled scenarios), choose a mode and two pods, then Walk.");
  qApp->installEventFilter(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open scenario…", QKeySequence::Open, this, [this] {
    const QString f = QFileDialog::getOpenFileName(this, "Open a scenario", bundled_dir(), "Scenarios (*.json)");
    if (!f.isEmpty()) open_scenario(f);
  });
  QMenu* bundled = file->addMenu("&Bundled scenarios");
  for (const QString& f : QDir(bundled_dir()).entryList({"*.json"}, QDir::Files, QDir::Name)) {
    if (f == "schema.json") continue;
    bundled->addAction(f, this, [this, f] { open_scenario(bundled_dir() + "/" + f); });
  }
  file->addAction("&Export view as PNG…", QKeySequence("Ctrl+E"), this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, "Export the view", "overlaylab.png", "PNG (*.png)");
    if (!f.isEmpty()) save_png(f);
  });
  file->addAction("Export walk as &HTML…", QKeySequence("Ctrl+H"), this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, "Export the walk as a page to hand out", "walk.html", "HTML (*.html)");
    if (!f.isEmpty()) export_html(f);
  });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
  QMenu* run = menuBar()->addMenu("&Run");
  run->addAction("Run all modes (the scenario's workloads)", QKeySequence("Ctrl+R"), this, [this] { run_all_modes(false); });
  run->addAction("&Challenge: predict the current walk", QKeySequence("Ctrl+K"), this, [this] { start_challenge(); });
}

QWidget* MainWindow::build_walk_tab() {
  auto* w = new QWidget(this);
  auto* v = new QVBoxLayout(w);
  auto* bar = new QHBoxLayout;
  mode_box_ = new QComboBox(w);
  for (auto m : kModes) mode_box_->addItem(QString::fromStdString(scenario::backend_name(m)));
  mode_box_->setCurrentText("vxlan");
  from_box_ = new QComboBox(w);
  to_box_ = new QComboBox(w);
  auto* go = new QPushButton("Walk ▶", w);
  auto* first = new QPushButton("|◀ First", w);
  auto* back = new QPushButton("◀ Step", w);
  auto* fwd = new QPushButton("Step ▶", w);
  auto* last = new QPushButton("Last ▶|", w);
  auto* play = new QPushButton("Play / Pause", w);
  speed_ = new QSlider(Qt::Horizontal, w);
  speed_->setRange(1, 20);
  speed_->setValue(4);
  speed_->setMaximumWidth(120);
  step_label_ = new QLabel("no walk yet", w);
  for (QWidget* x : std::initializer_list<QWidget*>{new QLabel("Mode:", w), mode_box_, new QLabel("From:", w), from_box_,
                                                     new QLabel("To:", w), to_box_, go, first, back, fwd, last, play,
                                                     new QLabel("Speed:", w), speed_, step_label_})
    bar->addWidget(x);
  bar->addStretch();
  v->addLayout(bar);
  auto* split = new QSplitter(w);
  topology_ = new TopologyView(split);
  panel_ = new WalkPanel(split);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({860, 620});
  v->addWidget(split, 1);
  connect(mode_box_, &QComboBox::currentTextChanged, this, [this](const QString& t) {
    if (auto b = scenario::parse_backend(t.toStdString())) set_mode(*b);
  });
  connect(go, &QPushButton::clicked, this, [this] { walk(from_box_->currentText().toStdString(), to_box_->currentText().toStdString()); });
  connect(first, &QPushButton::clicked, this, [this] { go_to_step(0); });
  connect(back, &QPushButton::clicked, this, [this] { go_to_step(step_ - 1); });
  connect(fwd, &QPushButton::clicked, this, [this] { go_to_step(step_ + 1); });
  connect(last, &QPushButton::clicked, this, [this] { go_to_step(step_count() - 1); });
  connect(play, &QPushButton::clicked, this, [this] {
    if (play_->isActive()) return play_->stop();
    play_->start(1000 / speed_->value());
  });
  connect(speed_, &QSlider::valueChanged, this, [this](int v) {
    if (play_->isActive()) play_->start(1000 / v);
  });
  return w;
}

void MainWindow::show_error(const QString& title, const QString& text) {
  last_error_ = text;
  if (!error_box_) error_box_ = new QMessageBox(this);
  error_box_->setIcon(QMessageBox::Warning);
  error_box_->setWindowTitle(title);
  error_box_->setText(title);
  error_box_->setInformativeText(text);
  error_box_->open();  // window-modal, does not block the caller
  statusBar()->showMessage(title);
}

bool MainWindow::open_scenario(const QString& path) {
  try {
    scenario_ = scenario::load_file(path.toStdString());
  } catch (const scenario::ScenarioError& e) {
    show_error("This scenario cannot be loaded", QString::fromStdString(e.what()));
    return false;
  }
  last_error_.clear();
  edits_.clear();
  tables_->set_edits(edits_);
  walk_.reset();
  for (auto& w : walks_) w.reset();
  step_ = -1;
  from_box_->clear();
  to_box_->clear();
  for (const auto& n : scenario_->nodes)
    for (const auto& p : n.pods) from_box_->addItem(QString::fromStdString(p)), to_box_->addItem(QString::fromStdString(p));
  if (to_box_->count() > 1) to_box_->setCurrentIndex(to_box_->count() - 1);
  for (const auto& w : scenario_->workloads)  // the scenario's own first pair, when it names one
    if (w.type == "ping" || w.type == "tcp") {
      from_box_->setCurrentText(QString::fromStdString(w.from));
      to_box_->setCurrentText(QString::fromStdString(w.to));
      break;
    }
  charts_->set_results({});
  set_mode(scenario_->net_conf.backend);  // the scenario's own Backend.Type, as the command line uses it
  setWindowTitle(QString::fromStdString("overlaylab — " + scenario_->name));
  statusBar()->showMessage(QString::fromStdString(scenario_->name + ": " + scenario_->description));
  return true;
}

void MainWindow::set_mode(scenario::Backend mode) {
  mode_ = mode;
  const QString name = QString::fromStdString(scenario::backend_name(mode));
  if (mode_box_->currentText() != name) {
    const QSignalBlocker quiet(mode_box_);  // this is the change; the box only shows it
    mode_box_->setCurrentText(name);
  }
  if (!scenario_) return;
  edits_.clear();  // they name one mode's devices and entries
  tables_->set_edits(edits_);
  refresh_cluster();
  if (walk_) walk(walk_->from, walk_->to);
}

void MainWindow::refresh_cluster() {
  if (!scenario_) return;
  const ClusterPicture pic = picture_cluster(*scenario_, mode_, edits_);
  control_->set_scenario(&*scenario_, mode_);
  topology_->show_cluster(layout_topology(*scenario_), pic);
  tables_->set_picture(pic);
}

bool MainWindow::walk(const std::string& from, const std::string& to) {
  if (!scenario_) return false;
  try {
    for (std::size_t k = 0; k < 3; ++k)
      walks_[k] = runner::record_walk(*scenario_, kModes[k], from, to, 56, kModes[k] == mode_ ? edits_ : std::vector<std::string>{});
    walk_ = walks_[column_of(mode_)];
  } catch (const std::exception& e) {
    show_error("This walk cannot be made", QString::fromStdString(e.what()));
    return false;
  }
  panel_->set_walk(&*walk_);
  side_->set_walks({&*walks_[0], &*walks_[1], &*walks_[2]});
  plugins_stale_ = true;
  if (tabs_->currentWidget() == plugins_) refresh_plugins();
  statusBar()->showMessage(QString::fromStdString(walk_->mode + ": " + from + " → " + to + ": " + walk_->result.outcome));
  go_to_step(0);
  return true;
}

void MainWindow::refresh_plugins() {
  if (!scenario_ || !walk_ || !plugins_stale_) return;
  plugins_stale_ = false;
  try {
    plugins_->set_comparison(runner::compare_main_plugins(*scenario_, mode_, walk_->from, walk_->to));
  } catch (const std::exception& e) {
    plugins_->set_unavailable(QString::fromStdString(std::string("bridge and ptp cannot be compared here: ") + e.what()));
  }
}

bool MainWindow::add_edit(const std::string& command) {
  if (!scenario_) return false;
  edits_.push_back(command);
  try {
    refresh_cluster();
  } catch (const std::invalid_argument& e) {
    edits_.pop_back();
    refresh_cluster();
    show_error("The kernel refuses this edit", QString::fromStdString(e.what()));
    return false;
  }
  tables_->set_edits(edits_);
  if (walk_) walk(walk_->from, walk_->to);
  statusBar()->showMessage(QString::fromStdString("what if: " + command + (walk_ ? " — " + walk_->result.outcome : "")));
  return true;
}

void MainWindow::reset_edits() {
  edits_.clear();
  tables_->set_edits(edits_);
  refresh_cluster();
  if (walk_) walk(walk_->from, walk_->to);
}

int MainWindow::find_step(const std::string& function) const {
  if (!walk_) return -1;
  for (std::size_t i = 0; i < walk_->steps.size(); ++i)
    if (walk_->steps[i].event.function == function) return int(i);
  return -1;
}

void MainWindow::go_to_step(int k) {
  if (!walk_ || walk_->steps.empty()) return;
  k = std::clamp(k, 0, step_count() - 1);
  const bool animate = play_->isActive();
  step_ = k;
  const TraceEvent& e = walk_->steps[std::size_t(k)].event;
  topology_->highlight(e, runner::user_space_steps(*walk_)[std::size_t(k)], animate);
  panel_->show_step(k);
  side_->follow(int(column_of(mode_)), k);  // the side-by-side view keeps in step
  step_label_->setText(QString("step %1 / %2: %3").arg(k + 1).arg(step_count()).arg(QString::fromStdString(e.function)));
}

void MainWindow::run_all_modes(bool wait) {
  if (!scenario_) return;
  auto* worker = new RunWorker(*scenario_, this);
  auto* dialog = new QProgressDialog("Running the workloads in host-gw, udp and vxlan…", "Cancel", 0, 100, this);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->setMinimumDuration(300);
  connect(worker, &RunWorker::progress, dialog, [dialog](int p, const QString& what) {
    dialog->setValue(p);
    dialog->setLabelText(what);
  });
  connect(dialog, &QProgressDialog::canceled, worker, &RunWorker::cancel);
  connect(worker, &QThread::finished, this, [this, worker, dialog] {
    if (!worker->cancelled()) {
      charts_->set_results(worker->results, scenario_ ? &*scenario_ : nullptr);
      tabs_->setCurrentWidget(charts_);
    }
    statusBar()->showMessage(worker->cancelled() ? "run cancelled" : "run done: charts updated");
    dialog->deleteLater();
    worker->deleteLater();
  });
  worker->start();
  if (wait) {
    worker->wait();
    QCoreApplication::processEvents();
  }
}

void MainWindow::show_view(const QString& name) {
  if (name == "side") tabs_->setCurrentWidget(side_);
  else if (name == "tables") tabs_->setCurrentWidget(tables_);
  else if (name == "charts") tabs_->setCurrentWidget(charts_);
  else if (name == "challenge") tabs_->setCurrentWidget(challenge_);
  else if (name == "control") tabs_->setCurrentWidget(control_);
  else if (name == "plugins") tabs_->setCurrentWidget(plugins_);
  else tabs_->setCurrentIndex(0);
}

bool MainWindow::save_png(const QString& file) { return grab().save(file, "PNG"); }

bool MainWindow::start_challenge() {
  if (!walk_) {
    show_error("No walk to ask about", "Choose two pods and press Walk ▶ first; the questions come from that walk.");
    return false;
  }
  challenge_->start(*walk_);
  tabs_->setCurrentWidget(challenge_);
  return true;
}

bool MainWindow::export_html(const QString& file) {
  if (!walk_ || !scenario_) {
    show_error("No walk to export", "Choose two pods and press Walk ▶ first.");
    return false;
  }
  try {
    runner::write_atomically(file.toStdString(), runner::walk_html(*walk_, scenario_->name + " (" + scenario_->file + ")"));
  } catch (const std::exception& e) {
    show_error("The walk cannot be written", QString::fromStdString(e.what()));
    return false;
  }
  statusBar()->showMessage("walk written to " + file);
  return true;
}

bool MainWindow::walk_key(int key) {
  switch (key) {
    case Qt::Key_Right: go_to_step(step_ + 1); return true;
    case Qt::Key_Left: go_to_step(step_ - 1); return true;
    case Qt::Key_Home: go_to_step(0); return true;
    case Qt::Key_End: go_to_step(step_count() - 1); return true;
    case Qt::Key_Space:
      if (play_->isActive()) play_->stop();
      else play_->start(1000 / speed_->value());
      return true;
    default: return false;
  }
}

// Each key press reaches the application before the focused widget: the walk's keys are taken here
// (and their ShortcutOverride accepted, so no shortcut claims them either) while a walk is on the
// walk or side-by-side tab of this window, no popup or dialog is open, and no modifier is held.
bool MainWindow::eventFilter(QObject* watched, QEvent* e) {
  if (e->type() != QEvent::KeyPress && e->type() != QEvent::ShortcutOverride) return false;
  auto* w = qobject_cast<QWidget*>(watched);
  if (!w || w->window() != this || !walk_ || QApplication::activePopupWidget() || QApplication::activeModalWidget())
    return false;
  if (tabs_->currentWidget() != walk_tab_ && tabs_->currentWidget() != side_) return false;
  auto* k = static_cast<QKeyEvent*>(e);
  if (k->modifiers() & ~Qt::KeypadModifier) return false;
  const int key = k->key();
  if (key != Qt::Key_Right && key != Qt::Key_Left && key != Qt::Key_Home && key != Qt::Key_End && key != Qt::Key_Space)
    return false;
  if (e->type() == QEvent::ShortcutOverride) {
    e->accept();
    return true;
  }
  return walk_key(key);
}

}  // namespace ol::gui
