// The app's user interface: menus, the calculator and planner panels, dialogs and themes, drawn
// with Dear ImGui over a Model. Sees only ImGui, the core and the app's own modules; the platform
// file (platform_glfw.cpp) owns the window, the main loop, fonts and key codes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app_model.hpp"

namespace pertoken::app {

enum class Command {
  open_scenario,
  save_scenario,
  open_catalog,
  import_model,
  reset_catalog,
  export_result_json,
  export_result_csv,
  export_charts_json,
  export_charts_csv,
  toggle_theme,
  show_calculator,
  show_planner,
  show_help,
  quit,
};

// The command a key press names, if any. The shortcuts are Ctrl (+ Shift) + a letter or digit;
// `key` is its upper-case ASCII code, which is GLFW's key code for it. Platforms call this from
// their key callback, so a tap shorter than a frame (a slow frame, a fast typist) is still seen;
// polling the key state once a frame misses it.
std::optional<Command> shortcut_command(int key, bool ctrl, bool shift, bool alt);

// What the platform does for the UI.
struct Services {
  std::function<void(const std::string& url)> open_url;  // in the user's browser
  std::function<void()> quit;
  // Where set, the platform's own file picker and downloads replace the app's file dialog: pick
  // a file for open_scenario, open_catalog or import_model (the platform then calls
  // Ui::open_scenario_file, Ui::open_catalog_file or Ui::import_model_file), and save `text` under
  // a suggested file name.
  std::function<void(Command command)> pick_file;
  std::function<void(const std::string& name, const std::string& text)> save_file;
};

struct UiOptions {
  bool dark = true;           // = true: the dark theme
  bool remember_last = true;  // = true: save the scenario to the config folder as it changes
  bool screenshot = false;    // = false: a fixed, hover-free frame for --screenshot
};

class Ui {
 public:
  Ui(Model& model, Services services, UiOptions options);
  ~Ui();
  Ui(const Ui&) = delete;
  Ui& operator=(const Ui&) = delete;

  // Draws one frame of the whole app into the main viewport (between ImGui::NewFrame and
  // ImGui::Render). `now_s` is the platform's clock (edits settle before slow work runs).
  void frame(double now_s);
  void run(Command command);
  // Opens a scenario file as File > Open scenario does; false when it could not be used (the
  // problems are on screen and, with `problems` non-null, appended there as "path: message").
  bool open_scenario_file(const std::string& path, std::string* problems = nullptr);
  bool open_catalog_file(const std::string& path, std::string* problems = nullptr);
  // Imports a Hugging Face config.json into the catalog in use and chooses the model, as File >
  // Import model does; false when it could not (the problems name the config keys).
  bool import_model_file(const std::string& path, std::string* problems = nullptr);
  // Restores the remembered scenario, if there is one that opens.
  void restore_last_scenario();
  // Shows the calculator's "Why this number" view.
  void open_view_why();
  // Writes result.json, result.csv, charts.json and charts.csv into `folder` (scripted runs);
  // false with `error` set when one cannot be written or there is no result.
  bool export_all(const std::string& folder, std::string& error);
  void apply_theme();

  struct State;  // the UI's state, shared by its panels (ui_panels.hpp)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace pertoken::app
