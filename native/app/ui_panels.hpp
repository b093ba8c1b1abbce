// The UI's inside, shared by its files (ui.cpp and the ui_*.cpp panels): the UI's state and what
// one panel's file calls in another's. Not part of the app's interface (that is ui.hpp); the
// panels' own helpers stay private to their files.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <imgui.h>

#include "app_model.hpp"
#include "charts.hpp"
#include "files.hpp"
#include "pertoken/scenario/fields.hpp"
#include "ui.hpp"

namespace pertoken::app {

using Json = nlohmann::json;

struct FileDialog {
  bool open = false;    // the popup is (to be) shown
  bool saving = false;  // a save dialog: the file name is typed
  Command purpose = Command::open_scenario;
  std::string title;
  std::string folder;
  std::string name;
  std::vector<DirectoryEntry> entries;
  std::string listed;  // the folder `entries` lists
  std::string error;
};

struct Ui::State {
  Model& model;
  Services services;
  UiOptions options;

  double now_s = 0;
  bool evaluate = true;         // the scenario changed: ask the core again
  bool remember = false;        // the scenario changed: remember it once the core accepts it
  double scenario_edit_s = -1;  // when the scenario last changed (the comparison waits)
  bool plan_dirty = true;
  double plan_edit_s = -1;
  int generation = 0;  // bumps when a document changes other than by typing in its field
  // The text of each typed field, by form and key, with the generation it was last read at.
  std::map<std::string, std::pair<int, std::string>> buffers;
  int requested_tab = -1;      // 0 calculator, 1 planner: select it next frame
  bool requested_why = false;  // select the "Why this number" view next frame
  bool show_help = false;
  FileDialog dialog;
  std::string problems_title;  // a file's problems, listed in their own window
  std::vector<Problem> problems;
  bool show_problems = false;
  std::string status;  // the last file operation, in words
  std::string last_saved;

  State(Model& m, Services s, UiOptions o) : model(m), services(std::move(s)), options(o) {}

  void scenario_changed(bool by_typing) {
    evaluate = true;
    remember = true;
    scenario_edit_s = now_s;
    if (!by_typing) ++generation;
  }
  void plan_changed(bool by_typing) {
    plan_dirty = true;
    plan_edit_s = now_s;
    if (!by_typing) ++generation;
  }
  charts::Colors chart_colors() const {
    const ImGuiStyle& style = ImGui::GetStyle();
    charts::Colors c;
    c.text = ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_Text]);
    ImVec4 grid = style.Colors[ImGuiCol_Text];
    grid.w = 0.12f;
    c.grid = ImGui::ColorConvertFloat4ToU32(grid);
    ImVec4 axis = style.Colors[ImGuiCol_Text];
    axis.w = 0.55f;
    c.axis = ImGui::ColorConvertFloat4ToU32(axis);
    c.marker = c.axis;
    c.background = ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_FrameBg]);
    return c;
  }
};

namespace panels {

// ui_widgets.cpp: small helpers every panel uses.
inline constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
ImU32 palette(int i, bool dark);
ImVec4 error_color(bool dark);
void help_marker(const std::string& text);
std::string json_text(const Json& j);
void json_tree(const Json& j);

// ui_form.cpp: the form fields, grown from the core's field tables.
enum class Edit { none, set_typed, set, unset };

// One field's widget. `value` is what the document holds (null when unset), `fallback` what the
// core's defaults say it takes then. Returns what the user did; `out` carries a value to set.
Edit field_widget(Ui::State& s, const char* form, const ScenarioField& f, const Json& value,
                  const Json& fallback, Json& out);
void field_problems(Ui::State& s, const std::vector<Problem>& problems, std::string_view key);

// ui_problems.cpp: a document's problems above its figures, a file's in their own window.
void errors_banner(Ui::State& s, const std::vector<Problem>& problems, const char* what);
void list_problems(Ui::State& s, std::string title, std::vector<Problem> problems);
std::string problems_text(const std::vector<Problem>& problems);
void problems_window(Ui::State& s);

// ui_chart_data.cpp: the charts, from the core's sweeps, plan and sensitivity.
charts::Chart calculator_chart(const Model& model, SweepKind kind, bool dark);
charts::Chart pareto_chart(const Json& plan, bool dark);
charts::Chart waterfall_chart(const Json& plan, bool dark);
charts::Chart tornado_chart(const Json& sensitivity, bool dark);  // the plan JSON's "sensitivity"

// The two pages: ui_calculator.cpp (with ui_why.cpp's "Why this number") and ui_planner.cpp.
void calculator(Ui::State& s);
void why_this_number(Ui::State& s);
void planner(Ui::State& s);

// ui_files.cpp: the file dialog and what its commands write.
void open_dialog(Ui::State& s, Command purpose, bool saving, std::string title, std::string name);
std::string charts_export(const Model& model, bool csv);
std::pair<std::string, const char*> saved_text(const Model& model, Command command);
void file_dialog(Ui& ui, Ui::State& s);

}  // namespace panels
}  // namespace pertoken::app
