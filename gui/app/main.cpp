// overlaylab-gui [SCENARIO] [--mode M] [--walk POD:POD] [--step K|FUNCTION] [--view walk|side|tables|charts|challenge]
//                [--screenshot FILE] [--widgets]
// With --screenshot it renders that view to FILE and exits; without a display it renders offscreen.
#include <cstdlib>
#include <iostream>

#include <QAbstractButton>
#include <QApplication>
#include <QCommandLineParser>
#include <QTabBar>
#include <QTimer>

#include "gui/app/control_view.h"
#include "gui/app/main_window.h"
#include "models/scenario/load.h"

namespace {

const QStringList kViews = {"walk", "side", "plugins", "tables", "control", "charts", "challenge"};

void describe(QCommandLineParser& cli) {
  cli.setApplicationDescription("overlaylab: walk a packet between pods in host-gw, udp and vxlan");
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument("SCENARIO", "a scenario JSON file");
  cli.addOption({"mode", "host-gw, udp or vxlan (default: the scenario's Backend.Type)", "M"});
  cli.addOption({"walk", "walk a packet from POD to POD", "POD:POD"});
  cli.addOption({"step", "go to step K (1-based) or to the first step running FUNCTION (e.g. vxlan_xmit)", "K"});
  cli.addOption({"view", "walk, side, tables, control, charts (runs the workloads first) or challenge (a round from --walk)", "V", "walk"});
  cli.addOption({"screenshot", "render the window to FILE (PNG) and exit; needs no display", "FILE"});
  cli.addOption({"control", "on the control view: \"pod NAME\" (its creation) or \"node NAME\" (its join), at its last command",
                 "SUBJECT"});
  cli.addOption({"widgets", "once shown, print each button and tab with its screen centre (for scripting clicks, e.g. xdotool)"});
}

// "button<TAB>name<TAB>x<TAB>y" (its object name, else its text) and "tab<TAB>text<TAB>x<TAB>y", screen coordinates of each centre.
void print_widgets(QWidget& w) {
  for (QAbstractButton* b : w.findChildren<QAbstractButton*>()) {
    if (!b->isVisible()) continue;
    const QPoint c = b->mapToGlobal(b->rect().center());
    std::cout << "button\t" << (b->objectName().isEmpty() ? b->text() : b->objectName()).toStdString() << "\t" << c.x() << "\t" << c.y() << "\n";
  }
  for (QTabBar* bar : w.findChildren<QTabBar*>())
    for (int i = 0; i < bar->count(); ++i) {
      const QPoint c = bar->mapToGlobal(bar->tabRect(i).center());
      std::cout << "tab\t" << bar->tabText(i).toStdString() << "\t" << c.x() << "\t" << c.y() << "\n";
    }
  std::cout << std::flush;
}

bool has_display() {
  for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
    if (const char* s = std::getenv(v); s && *s) return true;
  return false;
}

int fail(const QString& why) {
  std::cerr << "overlaylab-gui: " << why.toStdString() << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // The command line is read before Qt opens a display, so --help, --version and mistakes need none.
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  QCoreApplication::setApplicationName("overlaylab-gui");
  QCoreApplication::setApplicationVersion(OVERLAYLAB_VERSION);
  QCommandLineParser cli;
  describe(cli);
  if (!cli.parse(args)) return fail(cli.errorText() + "\n    fix: overlaylab-gui --help lists the options");
  if (cli.isSet("help")) {
    // Without an application object Qt cannot know the program's name.
    std::cout << cli.helpText().replace("<executable_name>", "overlaylab-gui").toStdString();
    return 0;
  }
  if (cli.isSet("version")) {
    std::cout << "overlaylab-gui " << OVERLAYLAB_VERSION << "\n";
    return 0;
  }
  if (!kViews.contains(cli.value("view")))
    return fail("--view: \"" + cli.value("view") + "\" is not a view\n    fix: use one of " + kViews.join(", "));
  std::optional<ol::scenario::Backend> mode;
  if (cli.isSet("mode") && !(mode = ol::scenario::parse_backend(cli.value("mode").toStdString())))
    return fail("--mode: \"" + cli.value("mode") + "\" is not a mode\n    fix: use host-gw, udp or vxlan");
  const bool shot = cli.isSet("screenshot");
  if (!has_display()) {
    if (!shot)
      return fail("no display (DISPLAY is not set)\n    fix: run it in a desktop session, or under xvfb-run; or render one "
                  "view to a PNG with --screenshot FILE, which needs no display");
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
  }

  QApplication app(argc, argv);
  ol::gui::MainWindow w;
  const QStringList pos = cli.positionalArguments();
  if (!pos.isEmpty() && !w.open_scenario(pos.front())) {
    if (shot) return fail(w.last_error());
  }
  if (mode) w.set_mode(*mode);  // else open_scenario chose the scenario's own backend
  if (cli.isSet("walk")) {
    const QStringList pods = cli.value("walk").split(':');
    if (pods.size() != 2) return fail("--walk: write POD:POD");
    if (!w.walk(pods[0].toStdString(), pods[1].toStdString()) && shot) return fail(w.last_error());
  }
  if (cli.isSet("step")) {
    bool number = false;
    const int k = cli.value("step").toInt(&number);
    const int target = number ? k - 1 : w.find_step(cli.value("step").toStdString());
    if (target < 0 || target >= w.step_count()) return fail("--step: no step " + cli.value("step") + " in this walk");
    w.go_to_step(target);
  }
  if (cli.value("view") == "charts") w.run_all_modes(true);
  w.show_view(cli.value("view"));
  if (cli.value("view") == "challenge" && w.current_walk()) w.start_challenge();
  if (cli.isSet("control")) {
    if (!w.control()->show_subject(cli.value("control")))
      return fail("--control: \"" + cli.value("control") + "\" is not a pod or node of this scenario\n    fix: write \"pod NAME\" or \"node NAME\"");
    w.control()->go_to(w.control()->step_count() - 1);
  }
  w.show();
  if (cli.isSet("widgets")) QTimer::singleShot(500, &w, [&w] { print_widgets(w); });
  if (!shot) return app.exec();
  QTimer::singleShot(200, &w, [&] {
    const bool ok = w.save_png(cli.value("screenshot"));
    if (!ok) std::cerr << "overlaylab-gui: cannot write " << cli.value("screenshot").toStdString() << "\n";
    app.exit(ok ? 0 : 2);
  });
  return app.exec();
}
