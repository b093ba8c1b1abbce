// Files (see ui_panels.hpp): the app's file dialog, opening scenarios, catalogs and model
// configs, saving and exporting.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui_panels.hpp"

namespace pertoken::app {

namespace panels {

namespace {

void save_text(Ui::State& s, const std::string& path, const std::string& text, const char* what) {
  std::string error;
  if (text.empty()) {
    s.status = std::string("Nothing to export yet (") + what + ")";
  } else if (write_file(path, text, error)) {
    s.status = std::string("Saved ") + what + " to " + path;
  } else {
    list_problems(s, "Could not save " + path, {{"write", "", error}});
  }
}

void finish_dialog(Ui& ui, Ui::State& s, const std::string& path) {
  switch (s.dialog.purpose) {
    case Command::open_scenario: ui.open_scenario_file(path); break;
    case Command::open_catalog: ui.open_catalog_file(path); break;
    case Command::import_model: ui.import_model_file(path); break;
    default: {
      const auto [text, what] = saved_text(s.model, s.dialog.purpose);
      save_text(s, path, text, what);
      break;
    }
  }
}

}  // namespace

void open_dialog(Ui::State& s, Command purpose, bool saving, std::string title, std::string name) {
  s.dialog.open = true;
  s.dialog.saving = saving;
  s.dialog.purpose = purpose;
  s.dialog.title = std::move(title);
  s.dialog.name = std::move(name);
  s.dialog.listed.clear();
  s.dialog.error.clear();
}

// The chart data of the four sweeps: JSON {"batching": sweep, ...}, or CSV tables one after the
// other, each under a "# sweep KIND" line.
std::string charts_export(const Model& model, bool csv) {
  if (csv) {
    std::string text;
    for (SweepKind kind : chart_sweeps) {
      text += "# sweep " + std::string(to_string(kind)) + "\n" + model.sweep_csv(kind) + "\n";
    }
    return text;
  }
  Json all = Json::object();
  for (SweepKind kind : chart_sweeps) all[std::string(to_string(kind))] = model.sweep(kind);
  return all.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// What a save or export command writes, and in words.
std::pair<std::string, const char*> saved_text(const Model& model, Command command) {
  switch (command) {
    case Command::save_scenario: return {model.scenario_text(), "the scenario"};
    case Command::export_result_json: {
      const std::string& text = model.result_text();
      return {text.empty() ? text : text + "\n", "the result JSON"};
    }
    case Command::export_result_csv: return {model.result_csv(), "the result CSV"};
    case Command::export_charts_json: return {charts_export(model, false), "the chart data JSON"};
    case Command::export_charts_csv: return {charts_export(model, true), "the chart data CSV"};
    default: return {"", "nothing"};
  }
}

void file_dialog(Ui& ui, Ui::State& s) {
  FileDialog& d = s.dialog;
  if (d.open) {
    ImGui::OpenPopup("File");
    d.open = false;
  }
  const ImVec2 size(ImGui::GetFontSize() * 36, ImGui::GetFontSize() * 26);
  ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("File", nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::TextUnformatted(d.title.c_str());
  if (d.listed != d.folder) {
    d.error.clear();
    d.entries = list_directory(d.folder, {".json", ".csv"}, d.error);
    d.listed = d.folder;
  }
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##folder", &d.folder);
  if (ImGui::Button("Up")) d.folder = parent_path(d.folder);
  ImGui::SameLine();
  ImGui::TextDisabled("%s", d.error.empty() ? "folders and .json/.csv files" : d.error.c_str());
  ImGui::BeginChild("entries", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 2.2f), true);
  std::string chosen;
  for (const DirectoryEntry& e : d.entries) {
    const std::string label = (e.directory ? "[folder] " : "") + e.name;
    if (ImGui::Selectable(label.c_str(), !e.directory && e.name == d.name,
                          ImGuiSelectableFlags_AllowDoubleClick)) {
      if (e.directory) {
        d.folder = join_path(d.folder, e.name);
      } else {
        d.name = e.name;
        if (ImGui::IsMouseDoubleClicked(0)) chosen = join_path(d.folder, d.name);
      }
    }
  }
  ImGui::EndChild();
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 12);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter = ImGui::InputText("file name", &d.name, ImGuiInputTextFlags_EnterReturnsTrue);
  if ((ImGui::Button(d.saving ? "Save" : "Open") || enter) && !d.name.empty()) {
    // A full path typed as the name is taken as it is.
    chosen = d.name.front() == '/' ? d.name : join_path(d.folder, d.name);
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    ImGui::CloseCurrentPopup();
  }
  if (!chosen.empty()) {
    ImGui::CloseCurrentPopup();
    finish_dialog(ui, s, chosen);
  }
  ImGui::EndPopup();
}

}  // namespace panels

bool Ui::open_scenario_file(const std::string& path, std::string* problems) {
  State& s = *state_;
  std::string error;
  const std::optional<std::string> text = read_file(path, error);
  if (!text) {
    panels::list_problems(s, "Could not open the scenario " + path, {{"read", "", error}});
    if (problems) *problems += path + ": " + error + "\n";
    return false;
  }
  // The state to keep if the file has problems: the current scenario's result.
  if (s.model.result().is_null()) s.model.evaluate();
  std::vector<Problem> found = s.model.load_scenario(*text);
  if (!found.empty()) {
    if (problems) *problems += panels::problems_text(found);
    panels::list_problems(s, "The scenario " + path + " cannot be used", std::move(found));
    return false;
  }
  s.scenario_changed(false);
  s.model.evaluate();
  s.evaluate = false;
  s.status = "Opened " + path;
  s.requested_tab = 0;
  if (!s.model.errors().empty()) {
    if (problems) *problems += panels::problems_text(s.model.errors());
    panels::list_problems(s, "The scenario " + path + " has problems (also marked at its fields)",
                          s.model.errors());
    return false;
  }
  return true;
}

bool Ui::open_catalog_file(const std::string& path, std::string* problems) {
  State& s = *state_;
  std::string error;
  const std::optional<std::string> text = read_file(path, error);
  if (!text) {
    panels::list_problems(s, "Could not open the catalog " + path, {{"read", "", error}});
    if (problems) *problems += path + ": " + error + "\n";
    return false;
  }
  std::vector<Problem> found = s.model.load_catalog(*text);
  if (!found.empty()) {
    if (problems) *problems += panels::problems_text(found);
    panels::list_problems(s,
                          "The catalog " + path + " was not loaded: the core found these problems",
                          std::move(found));
    return false;
  }
  s.status = "Catalog " + path + " extends the built-in one";
  s.scenario_changed(false);
  s.plan_changed(false);
  return true;
}

bool Ui::import_model_file(const std::string& path, std::string* problems) {
  State& s = *state_;
  std::string error;
  const std::optional<std::string> text = read_file(path, error);
  if (!text) {
    panels::list_problems(s, "Could not open the config " + path, {{"read", "", error}});
    if (problems) *problems += path + ": " + error + "\n";
    return false;
  }
  std::string id;
  std::vector<Problem> found = s.model.import_model(*text, "", "", &id);
  if (!found.empty()) {
    if (problems) *problems += panels::problems_text(found);
    panels::list_problems(s,
                          "The config " + path + " was not imported: the core found these problems",
                          std::move(found));
    return false;
  }
  s.model.set("model", id);
  s.status = "Imported model " + id + " from " + path;
  s.scenario_changed(false);
  s.plan_changed(false);
  return true;
}

void Ui::restore_last_scenario() {
  const std::string path = last_scenario_path();
  std::string error;
  const std::optional<std::string> text = path.empty() ? std::nullopt : read_file(path, error);
  if (!text) return;
  if (state_->model.load_scenario(*text).empty()) {
    state_->scenario_changed(false);
    state_->last_saved = *text;
  }
}

bool Ui::export_all(const std::string& folder, std::string& error) {
  const Model& model = state_->model;
  if (model.result_text().empty()) {
    error = "no result to export";
    return false;
  }
  const std::pair<const char*, std::string> files[] = {
      {"result.json", model.result_text() + "\n"},
      {"result.csv", model.result_csv()},
      {"charts.json", panels::charts_export(model, false)},
      {"charts.csv", panels::charts_export(model, true)},
  };
  for (const auto& [name, text] : files) {
    const std::string path = join_path(folder, name);
    if (!write_file(path, text, error)) {
      error = path + ": " + error;
      return false;
    }
  }
  return true;
}

}  // namespace pertoken::app
