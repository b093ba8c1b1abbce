// The app's user interface (see ui.hpp): Dear ImGui and the core only; no platform header. This
// file draws the frame (menus, pages, windows) and runs the commands and shortcuts; the panels
// are in the ui_*.cpp files (ui_panels.hpp lists them).
#include "ui.hpp"

#include "ui_panels.hpp"

namespace pertoken::app {

namespace {

struct Shortcut {
  Command command;
  char key;  // the upper-case ASCII code: 'O', 'S', '1'...
  bool shift;
  const char* label;
  const char* what;
};

constexpr Shortcut shortcut_table[] = {
    {Command::open_scenario, 'O', false, "Ctrl+O", "Open a scenario file"},
    {Command::save_scenario, 'S', false, "Ctrl+S", "Save the scenario"},
    {Command::open_catalog, 'O', true, "Ctrl+Shift+O", "Open a catalog file"},
    {Command::export_result_json, 'E', false, "Ctrl+E", "Export the result (JSON)"},
    {Command::export_charts_json, 'E', true, "Ctrl+Shift+E", "Export the chart data (JSON)"},
    {Command::toggle_theme, 'T', false, "Ctrl+T", "Light / dark theme"},
    {Command::show_calculator, '1', false, "Ctrl+1", "Calculator"},
    {Command::show_planner, '2', false, "Ctrl+2", "Planner"},
    {Command::show_help, 'H', false, "Ctrl+H", "Keyboard shortcuts"},
    {Command::quit, 'Q', false, "Ctrl+Q", "Quit"},
};

const char* shortcut_label(Command command) {
  for (const Shortcut& s : shortcut_table) {
    if (s.command == command) return s.label;
  }
  return nullptr;
}

void help_window(Ui::State& s) {
  if (!s.show_help) return;
  if (ImGui::Begin("Keyboard shortcuts", &s.show_help, ImGuiWindowFlags_AlwaysAutoResize)) {
    for (const Shortcut& sc : shortcut_table) ImGui::Text("%-14s %s", sc.label, sc.what);
    ImGui::Separator();
    ImGui::TextUnformatted("Tab / Shift+Tab: next / previous field; arrows move between items;");
    ImGui::TextUnformatted("Space or Enter activates; Escape closes a dialog or a menu.");
  }
  ImGui::End();
}

}  // namespace

std::optional<Command> shortcut_command(int key, bool ctrl, bool shift, bool alt) {
  if (!ctrl || alt) return std::nullopt;
  for (const Shortcut& s : shortcut_table) {
    if (s.key == key && s.shift == shift) return s.command;
  }
  return std::nullopt;
}

Ui::Ui(Model& model, Services services, UiOptions options)
    : state_(std::make_unique<State>(model, std::move(services), options)) {
  state_->dialog.folder = current_directory();
}

Ui::~Ui() = default;

void Ui::open_view_why() {
  state_->requested_tab = 0;
  state_->requested_why = true;
}

void Ui::apply_theme() {
  if (state_->options.dark) {
    ImGui::StyleColorsDark();
  } else {
    ImGui::StyleColorsLight();
  }
  ImGuiStyle& style = ImGui::GetStyle();
  style.FrameRounding = 3;
  style.WindowRounding = 0;
  style.ChildRounding = 3;
}

void Ui::run(Command command) {
  State& s = *state_;
  const bool opens = command == Command::open_scenario || command == Command::open_catalog ||
                     command == Command::import_model;
  const bool saves = command == Command::save_scenario || command == Command::export_result_json ||
                     command == Command::export_result_csv ||
                     command == Command::export_charts_json ||
                     command == Command::export_charts_csv;
  if (opens && s.services.pick_file) {
    s.services.pick_file(command);
    return;
  }
  if (saves && s.services.save_file) {
    static const std::pair<Command, const char*> names[] = {
        {Command::save_scenario, "scenario.json"},
        {Command::export_result_json, "result.json"},
        {Command::export_result_csv, "result.csv"},
        {Command::export_charts_json, "charts.json"},
        {Command::export_charts_csv, "charts.csv"}};
    const auto [text, what] = panels::saved_text(s.model, command);
    for (const auto& [c, name] : names) {
      if (c != command) continue;
      if (text.empty()) {
        s.status = std::string("Nothing to export yet (") + what + ")";
      } else {
        s.services.save_file(name, text);
        s.status = std::string("Downloaded ") + what + " as " + name;
      }
    }
    return;
  }
  switch (command) {
    case Command::open_scenario:
      panels::open_dialog(s, command, false, "Open a scenario (the CLI's --scenario JSON)", "");
      break;
    case Command::save_scenario:
      panels::open_dialog(s, command, true, "Save the scenario", "scenario.json");
      break;
    case Command::open_catalog:
      panels::open_dialog(s, command, false, "Open a catalog (assets/catalog/FORMAT.md)", "");
      break;
    case Command::import_model:
      panels::open_dialog(s, command, false, "Import a model from its Hugging Face config.json",
                          "");
      break;
    case Command::reset_catalog:
      s.model.reset_catalog();
      s.scenario_changed(false);
      s.plan_changed(false);
      s.status = "Back to the built-in catalog";
      break;
    case Command::export_result_json:
      panels::open_dialog(s, command, true, "Export the result as JSON", "result.json");
      break;
    case Command::export_result_csv:
      panels::open_dialog(s, command, true, "Export the result as CSV", "result.csv");
      break;
    case Command::export_charts_json:
      panels::open_dialog(s, command, true, "Export the chart data (the four sweeps) as JSON",
                          "charts.json");
      break;
    case Command::export_charts_csv:
      panels::open_dialog(s, command, true, "Export the chart data (the four sweeps) as CSV",
                          "charts.csv");
      break;
    case Command::toggle_theme:
      s.options.dark = !s.options.dark;
      apply_theme();
      break;
    case Command::show_calculator: s.requested_tab = 0; break;
    case Command::show_planner: s.requested_tab = 1; break;
    case Command::show_help: s.show_help = !s.show_help; break;
    case Command::quit:
      if (s.services.quit) s.services.quit();
      break;
  }
}

void Ui::frame(double now_s) {
  State& s = *state_;
  s.now_s = now_s;
  // The core's answers: at once for the result and the quick sweeps, once edits pause (0.3 s) for
  // the accelerator comparison and the planner; at once for all in a screenshot.
  const double settle_s = s.options.screenshot ? 0 : 0.3;
  if (s.evaluate) {
    s.model.evaluate();
    s.evaluate = false;
  }
  if (s.remember) {
    s.remember = false;
    if (s.options.remember_last && s.model.errors().empty()) {
      const std::string text = s.model.scenario_text();
      const std::string path = last_scenario_path();
      std::string error;
      if (text != s.last_saved && !path.empty() && write_file(path, text, error)) {
        s.last_saved = text;
      }
    }
  }
  if (s.model.gpus_stale() && now_s - s.scenario_edit_s >= settle_s) s.model.evaluate_gpus();
  if (s.plan_dirty && now_s - s.plan_edit_s >= settle_s) {
    s.model.evaluate_plan();
    s.plan_dirty = false;
  }

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("pertoken", nullptr, flags);
  if (ImGui::BeginMenuBar()) {
    if (ImGui::BeginMenu("File")) {
      auto item = [&](const char* label, Command c) {
        if (ImGui::MenuItem(label, shortcut_label(c))) run(c);
      };
      item("Open scenario...", Command::open_scenario);
      item("Save scenario...", Command::save_scenario);
      ImGui::Separator();
      item("Open catalog...", Command::open_catalog);
      item("Import model config.json...", Command::import_model);
      if (ImGui::MenuItem("Built-in catalog", nullptr, false, s.model.custom_catalog())) {
        run(Command::reset_catalog);
      }
      ImGui::Separator();
      item("Export result (JSON)...", Command::export_result_json);
      item("Export result (CSV)...", Command::export_result_csv);
      item("Export chart data (JSON)...", Command::export_charts_json);
      item("Export chart data (CSV)...", Command::export_charts_csv);
      ImGui::Separator();
      item("Quit", Command::quit);
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
      if (ImGui::MenuItem("Calculator", shortcut_label(Command::show_calculator)))
        run(Command::show_calculator);
      if (ImGui::MenuItem("Planner", shortcut_label(Command::show_planner)))
        run(Command::show_planner);
      if (ImGui::MenuItem("Dark theme", shortcut_label(Command::toggle_theme), s.options.dark))
        run(Command::toggle_theme);
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
      if (ImGui::MenuItem("Keyboard shortcuts", shortcut_label(Command::show_help)))
        run(Command::show_help);
      ImGui::EndMenu();
    }
    if (!s.status.empty()) {
      ImGui::Separator();
      ImGui::TextDisabled("%s", s.status.c_str());
    }
    ImGui::EndMenuBar();
  }
  if (ImGui::BeginTabBar("pages")) {
    const ImGuiTabItemFlags calc_flags = s.requested_tab == 0 ? ImGuiTabItemFlags_SetSelected : 0;
    const ImGuiTabItemFlags plan_flags = s.requested_tab == 1 ? ImGuiTabItemFlags_SetSelected : 0;
    s.requested_tab = -1;
    if (ImGui::BeginTabItem("Calculator", nullptr, calc_flags)) {
      panels::calculator(s);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Planner", nullptr, plan_flags)) {
      panels::planner(s);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
  panels::file_dialog(*this, s);
  panels::problems_window(s);
  help_window(s);
}

}  // namespace pertoken::app
