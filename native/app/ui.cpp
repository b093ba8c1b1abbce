// The app's user interface (see ui.hpp): Dear ImGui and the core only; no platform header.
//
// [SECTION] Shortcuts, themes and small helpers
// [SECTION] Form fields (grown from the core's field tables)
// [SECTION] Calculator: results, sources, why this number, charts
// [SECTION] Planner: plan, bill, Pareto, waterfall, tornado
// [SECTION] Files: dialog, open, save, export
// [SECTION] Frame
#include "ui.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "charts.hpp"
#include "files.hpp"
#include "format.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/scenario/fields.hpp"

namespace pertoken::app {

using Json = nlohmann::json;

// -----------------------------------------------------------------------------------------------
// [SECTION] Shortcuts, themes and small helpers

namespace {

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

const double nan_value = std::numeric_limits<double>::quiet_NaN();

// Okabe-Ito colours (distinguishable with colour-blindness), slightly lighter on dark.
ImU32 palette(int i, bool dark) {
  static const ImU32 light[] = {IM_COL32(0, 114, 178, 255),  IM_COL32(213, 94, 0, 255),
                                IM_COL32(0, 158, 115, 255),  IM_COL32(204, 121, 167, 255),
                                IM_COL32(86, 180, 233, 255), IM_COL32(120, 120, 120, 255)};
  static const ImU32 night[] = {IM_COL32(86, 160, 233, 255),  IM_COL32(240, 140, 60, 255),
                                IM_COL32(40, 190, 150, 255),  IM_COL32(220, 150, 190, 255),
                                IM_COL32(150, 210, 240, 255), IM_COL32(190, 190, 190, 255)};
  const ImU32* colors = dark ? night : light;
  return colors[static_cast<unsigned>(i) % 6u];
}

ImVec4 error_color(bool dark) {
  return dark ? ImVec4(1.0f, 0.45f, 0.4f, 1) : ImVec4(0.75f, 0.1f, 0.05f, 1);
}

void help_marker(const std::string& text) {
  if (text.empty() || !ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

std::string json_text(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  if (j.is_number()) {
    const double v = j.get<double>();
    if (j.is_number_integer()) return j.dump();
    if (v == std::floor(v) && std::abs(v) < 9e15) return std::to_string(static_cast<long long>(v));
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
  }
  if (j.is_array() && j.size() == 2 && j[0].is_number() && j[1].is_number()) {
    return json_text(j[0]) + ":" + json_text(j[1]);
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// What the user typed, as the JSON value the document holds: a number when it reads as one
// (LOW:HIGH as a [low, high] pair where the field takes a range), else the text itself (the core
// says what is wrong with it at the field).
Json typed_value(const ScenarioField& field, const std::string& text) {
  auto number = [](const std::string& t, double& v) {
    if (t.empty()) return false;
    char* end = nullptr;
    v = std::strtod(t.c_str(), &end);
    return end != nullptr && *end == '\0' && std::isfinite(v);
  };
  double v = 0;
  if (field.type == FieldType::number_or_range) {
    const auto colon = text.find(':');
    double low = 0, high = 0;
    if (colon != std::string::npos && number(text.substr(0, colon), low) &&
        number(text.substr(colon + 1), high)) {
      return Json::array({low, high});
    }
  }
  if (field.type == FieldType::id_list) return text;
  if (number(text, v)) {
    if (v == std::floor(v) && std::abs(v) < 9e15) return static_cast<long long>(v);
    return v;
  }
  return text;
}

}  // namespace

std::span<const Shortcut> shortcuts() { return shortcut_table; }

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

// -----------------------------------------------------------------------------------------------
// [SECTION] Form fields (grown from the core's field tables)

namespace {

// The problems whose path is the field's ("/tp", "/acceptance_rate/0").
std::vector<const Problem*> problems_at(const std::vector<Problem>& problems,
                                        std::string_view key) {
  std::vector<const Problem*> found;
  const std::string path = "/" + std::string(key);
  for (const Problem& p : problems) {
    if (p.path == path || p.path.rfind(path + "/", 0) == 0) found.push_back(&p);
  }
  return found;
}

std::string label_of(const Json& entries, const std::string& id) {
  for (const Json& e : entries) {
    if (string_at(e, "id") == id) return string_at(e, "name") + "  (" + id + ")";
  }
  return id;
}

enum class Edit { none, set_typed, set, unset };

// One field's widget. `value` is what the document holds (null when unset), `fallback` what the
// core's defaults say it takes then. Returns what the user did; `out` carries a value to set.
Edit field_widget(Ui::State& s, const char* form, const ScenarioField& f, const Json& value,
                  const Json& fallback, Json& out) {
  Model& model = s.model;
  const std::string key(f.key);
  const bool set = !value.is_null();
  ImGui::PushID(key.c_str());
  std::string label = key;
  if (!f.unit.empty()) label += "  (" + std::string(f.unit) + ")";
  ImGui::TextUnformatted(label.c_str());
  {
    std::string help = std::string(f.help);
    if (!f.default_rule.empty()) help += "\nDefault: " + std::string(f.default_rule);
    if (!f.flag.empty()) help += "\nCLI: " + std::string(f.flag);
    help_marker(help);
  }
  Edit edit = Edit::none;
  const float reset_w = ImGui::GetFrameHeight() * 1.6f;
  ImGui::SetNextItemWidth(-reset_w - ImGui::GetStyle().ItemSpacing.x);
  const std::string fallback_text =
      fallback.is_null() ? std::string(f.default_rule) : json_text(fallback);
  switch (f.type) {
    case FieldType::model_id:
    case FieldType::gpu_id: {
      const Json& entries = f.type == FieldType::model_id ? model.models() : model.gpus();
      const std::string current =
          value.is_string() ? label_of(entries, value.get<std::string>())
                            : (value.is_object() ? "(inline entry from the file)" : "(choose)");
      if (ImGui::BeginCombo("##v", current.c_str(), ImGuiComboFlags_HeightLarge)) {
        for (const Json& e : entries) {
          const std::string id = string_at(e, "id");
          const bool selected = value.is_string() && value.get<std::string>() == id;
          if (ImGui::Selectable(label_of(entries, id).c_str(), selected)) {
            out = id;
            edit = Edit::set;
          }
          if (selected) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
      }
      break;
    }
    case FieldType::enumeration:
    case FieldType::speculative: {
      const std::string current =
          set ? json_text(value) : "auto: " + (fallback_text.empty() ? "-" : fallback_text);
      if (ImGui::BeginCombo("##v", current.c_str())) {
        std::vector<std::string> words;
        for (std::string_view w : f.values) {
          if (f.type == FieldType::speculative && w.rfind("draft:", 0) == 0) {
            for (const Json& m : model.models()) words.push_back("draft:" + string_at(m, "id"));
          } else {
            words.emplace_back(w);
          }
        }
        for (const std::string& w : words) {
          const bool selected = value.is_string() && value.get<std::string>() == w;
          if (ImGui::Selectable(w.c_str(), selected)) {
            out = w;
            edit = Edit::set;
          }
        }
        ImGui::EndCombo();
      }
      break;
    }
    case FieldType::boolean: {
      bool on = set ? (value.is_boolean() && value.get<bool>())
                    : (fallback.is_boolean() && fallback.get<bool>());
      if (ImGui::Checkbox(set ? "##v" : "auto##v", &on)) {
        out = on;
        edit = Edit::set;
      }
      break;
    }
    default: {
      auto& [generation, buffer] = s.buffers[std::string(form) + "/" + key];
      if (generation != s.generation + 1) {  // + 1: a new entry (0) is read too
        buffer = set ? json_text(value) : "";
        generation = s.generation + 1;
      }
      const std::string hint = "auto: " + fallback_text;
      if (ImGui::InputTextWithHint("##v", hint.c_str(), &buffer)) {
        if (buffer.empty()) {
          edit = Edit::unset;
        } else {
          out = typed_value(f, buffer);
          edit = Edit::set_typed;
        }
      }
      break;
    }
  }
  ImGui::SameLine();
  if (set) {
    if (ImGui::Button("x", ImVec2(reset_w, 0))) edit = Edit::unset;
    help_marker("Back to the default: " + fallback_text);
  } else {
    ImGui::Dummy(ImVec2(reset_w, ImGui::GetFrameHeight()));
  }
  ImGui::PopID();
  return edit;
}

void field_problems(Ui::State& s, const std::vector<Problem>& problems, std::string_view key) {
  for (const Problem* p : problems_at(problems, key)) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_color(s.options.dark));
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted((p->path + ": " + p->message).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

void scenario_form(Ui::State& s) {
  Model& model = s.model;
  for (const ScenarioField& f : scenario_fields()) {
    const std::string key(f.key);
    const Json& doc = model.scenario();
    Json value = doc.contains(key) ? doc[key] : Json();
    if (value.is_null() && !f.alias.empty() && doc.contains(std::string(f.alias))) {
      value = doc[std::string(f.alias)];
    }
    const Json fallback = model.defaults().contains(key) ? model.defaults()[key] : Json();
    Json out;
    switch (field_widget(s, "scenario", f, value, fallback, out)) {
      case Edit::none: break;
      case Edit::set_typed:
        model.set(key, out);
        s.scenario_changed(true);
        break;
      case Edit::set:
        model.set(key, out);
        s.scenario_changed(false);
        break;
      case Edit::unset:
        model.unset(key);
        if (!f.alias.empty()) model.unset(f.alias);
        s.scenario_changed(false);
        break;
    }
    field_problems(s, model.errors(), key);
    if (!f.alias.empty()) field_problems(s, model.errors(), f.alias);
  }
  // Keys the document holds that no field knows (the core reports them): shown so they can go.
  std::vector<std::string> unknown;
  for (auto it = model.scenario().begin(); it != model.scenario().end(); ++it) {
    if (find_scenario_field(it.key()) == nullptr) unknown.push_back(it.key());
  }
  for (const std::string& key : unknown) {
    ImGui::PushID(key.c_str());
    ImGui::TextDisabled("%s (not a scenario field)", key.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("remove")) {
      model.unset(key);
      s.scenario_changed(false);
    }
    field_problems(s, model.errors(), key);
    ImGui::PopID();
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Calculator: results, sources, why this number, charts

// A figure with its source on hover (click opens the source in the browser).
void sourced_text(Ui::State& s, const std::string& text, const Json& entry, const char* pointer) {
  ImGui::TextUnformatted(text.c_str());
  const Json* source = nullptr;
  if (entry.is_object() && entry.contains("sources") && entry["sources"].contains(pointer)) {
    source = &entry["sources"][pointer];
  }
  if (source == nullptr || !ImGui::IsItemHovered()) return;
  const std::string url = string_at(*source, "source");
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  ImGui::Text("Source (as of %s): %s", string_at(*source, "as_of").c_str(), url.c_str());
  const std::string note = string_at(*source, "note");
  if (!note.empty()) ImGui::TextUnformatted(note.c_str());
  ImGui::TextDisabled("Click to open the source in your browser.");
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
  if (ImGui::IsItemClicked() && s.services.open_url && !url.empty()) s.services.open_url(url);
}

void spec_line(Ui::State& s) {
  const Json& result = s.model.result();
  const Json& scenario = result.contains("scenario") ? result["scenario"] : Json();
  const std::string gpu_id = string_at(scenario, "gpu");
  const Json* gpu = s.model.gpu_entry(gpu_id);
  if (gpu == nullptr) return;
  ImGui::TextDisabled("%s:", string_at(*gpu, "name").c_str());
  ImGui::SameLine();
  sourced_text(s, format_bytes(number_at(*gpu, "memory_capacity_bytes")), *gpu, "/memory_gib");
  ImGui::SameLine();
  sourced_text(s, format_bandwidth(number_at(*gpu, "memory_bandwidth_bytes_per_second")), *gpu,
               "/memory_bandwidth_tb_per_s");
  ImGui::SameLine();
  const double price = number_at(*gpu, "reference_usd_per_gpu_hour");
  if (std::isfinite(price)) {
    sourced_text(s, format_usd(price) + "/h (catalog)", *gpu, "/reference_usd_per_gpu_hour");
  }
}

struct Headline {
  const char* label;
  const char* key;
  std::string (*format)(double);
};

void results_table(Ui::State& s) {
  const Json& r = s.model.result();
  if (!r.is_object()) {
    ImGui::TextDisabled("No result yet.");
    return;
  }
  const Json& sc = r["scenario"];
  ImGui::Text("%s on %s x %s  (tp %s, pp %s, ep %s; weights %s, KV cache %s)",
              string_at(sc, "model").c_str(), json_text(sc.value("num_gpus", Json())).c_str(),
              string_at(sc, "gpu").c_str(), json_text(sc.value("tp", Json())).c_str(),
              json_text(sc.value("pp", Json())).c_str(), json_text(sc.value("ep", Json())).c_str(),
              string_at(sc, "weights").c_str(), string_at(sc, "kv_cache").c_str());
  spec_line(s);
  const bool fits = r.value("fits", false);
  if (!fits) ImGui::PushStyleColor(ImGuiCol_Text, error_color(s.options.dark));
  ImGui::TextWrapped("%s: %s", fits ? "Fits" : "Does not fit",
                     string_at(r, "limit_detail").c_str());
  if (!fits) ImGui::PopStyleColor();
  // The core's notes (fallbacks, guessed defaults, a catalog price older than its age rule...),
  // as the page's caveats beside its headline.
  if (r.contains("notes") && r["notes"].is_array() && !r["notes"].empty()) {
    const std::string title = "Caveats (" + std::to_string(r["notes"].size()) + ")###caveats";
    if (ImGui::CollapsingHeader(title.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      for (const Json& note : r["notes"]) {
        if (!note.is_string()) continue;
        ImGui::Bullet();
        ImGui::TextWrapped("%s", note.get<std::string>().c_str());
      }
    }
  }

  static const Headline rows[] = {
      {"$ per million tokens", "usd_per_million_tokens", format_usd},
      {"$ per million input tokens", "usd_per_million_input_tokens", format_usd},
      {"$ per million output tokens", "usd_per_million_output_tokens", format_usd},
      {"Output tokens/s per GPU", "output_tokens_per_second_per_gpu", format_number},
      {"Tokens/s per user", "tokens_per_second_per_user", format_number},
      {"Time to first token", "ttft_seconds", format_seconds},
      {"Time per output token", "tpot_seconds", format_seconds},
      {"Request latency", "e2e_latency_seconds", format_seconds},
      {"Max concurrency", "max_concurrency", format_integer},
      {"Concurrency", "concurrency", format_number},
      {"Joules per output token", "joules_per_output_token", format_number},
  };
  const Json& bands = r.contains("uncertainty") ? r["uncertainty"] : Json();
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
  // Two tables side by side: the headline figures, then memory and what bounds them.
  // Side by side when there is room for both, else one above the other.
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool side_by_side = avail > ImGui::GetFontSize() * 52;
  const float half = side_by_side ? (avail - ImGui::GetStyle().ItemSpacing.x) / 2 : avail;
  ImGui::BeginGroup();
  if (ImGui::BeginTable("headline", 3, flags, ImVec2(half, 0))) {
    ImGui::TableSetupColumn("Figure", ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Likely (P10-P90)", ImGuiTableColumnFlags_WidthStretch, 1.8f);
    ImGui::TableHeadersRow();
    for (const Headline& row : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.label);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.format(number_at(r, row.key)).c_str());
      ImGui::TableNextColumn();
      if (bands.is_object() && bands.contains(row.key) && bands[row.key].is_array() &&
          bands[row.key].size() == 2) {
        const std::string band = row.format(number_of(bands[row.key][0])) + " - " +
                                 row.format(number_of(bands[row.key][1]));
        ImGui::TextDisabled("%s", band.c_str());
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndGroup();
  if (side_by_side) ImGui::SameLine();
  ImGui::BeginGroup();
  if (ImGui::BeginTable("memory", 2, flags, ImVec2(half, 0))) {
    ImGui::TableSetupColumn("Memory per GPU", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableHeadersRow();
    const Json& m = r.contains("memory") ? r["memory"] : Json();
    const std::pair<const char*, const char*> parts[] = {
        {"Capacity", "capacity_bytes"},
        {"Weights", "weights_bytes"},
        {"Activation workspace", "activation_bytes"},
        {"Runtime reserve", "runtime_reserved_bytes"},
        {"KV-cache pool", "kv_cache_pool_bytes"},
        {"KV cache in use", "kv_cache_used_bytes"},
        {"KV cache per request", "kv_cache_bytes_per_request_per_gpu"},
    };
    for (const auto& [label, key] : parts) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(label);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_bytes(number_at(m, key)).c_str());
    }
    const std::pair<const char*, std::string> words[] = {
        {"Decode bound", string_at(r, "decode_bound")},
        {"Limit", string_at(r, "limit_reason")},
        {"Cost per hour", format_usd(number_at(r, "usd_per_hour"))},
    };
    for (const auto& [label, text] : words) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(label);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(text.empty() ? "-" : text.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::EndGroup();
}

// The step's parts as why.ts lists them.
void step_parts(const Json& step) {
  const std::pair<const char*, const char*> parts[] = {
      {"weight reads", "weight_reads_seconds"}, {"KV-cache reads", "kv_reads_seconds"},
      {"compute", "compute_seconds"},           {"communication", "communication_seconds"},
      {"overhead", "overhead_seconds"},
  };
  for (const auto& [label, key] : parts) {
    const double v = number_at(step, key);
    if (v > 0) ImGui::BulletText("%s: %s", label, format_seconds(v).c_str());
  }
  const double overlap = number_at(step, "overlap_seconds");
  if (overlap > 0) {
    ImGui::BulletText("minus overlap (memory and compute running together): %s",
                      format_seconds(overlap).c_str());
  }
  ImGui::BulletText("= %s per step", format_seconds(number_at(step, "total_seconds")).c_str());
}

void why_this_number(Ui::State& s) {
  const Json& r = s.model.result();
  if (!r.is_object()) return;
  const Json& breakdown = r.contains("breakdown") ? r["breakdown"] : Json();
  const Json& decode = breakdown.is_object() && breakdown.contains("decode_step")
                           ? breakdown["decode_step"]
                           : Json();
  const Json& prefill =
      breakdown.is_object() && breakdown.contains("prefill") ? breakdown["prefill"] : Json();
  ImGui::PushTextWrapPos(0);
  if (!r.value("fits", false) || !decode.is_object() || !prefill.is_object()) {
    ImGui::TextWrapped(
        "This deployment does not run: %s. More devices, a lower precision or a "
        "shorter context change that.",
        string_at(r, "limit_detail").c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  // Decode: the step's time by class, as the decode bound compares them.
  ImGui::TextUnformatted(
      ("Time per output token: " + format_seconds(number_at(r, "tpot_seconds"))).c_str());
  ImGui::Separator();
  const double memory_s =
      number_at(decode, "weight_reads_seconds") + number_at(decode, "kv_reads_seconds");
  const std::pair<const char*, double> classes[] = {
      {"memory reads", memory_s},
      {"compute", number_at(decode, "compute_seconds")},
      {"communication", number_at(decode, "communication_seconds")},
      {"overhead", number_at(decode, "overhead_seconds")},
  };
  double sum = 0;
  for (const auto& c : classes) sum += std::isfinite(c.second) ? c.second : 0;
  std::string text = "An average decode step carries " +
                     format_number(number_at(decode, "decode_tokens")) + " decode tokens";
  if (number_at(decode, "prefill_tokens") > 0) {
    text += " and " + format_number(number_at(decode, "prefill_tokens")) +
            " prompt tokens of chunked prefill";
  }
  text += " for the " + format_number(number_at(r, "running_concurrency")) +
          " running requests. It is bound by " + string_at(r, "decode_bound") + ": of its parts, ";
  bool first = true;
  for (const auto& [label, seconds] : classes) {
    if (!(seconds > 0)) continue;
    text += std::string(first ? "" : ", ") + label + " " + format_seconds(seconds) + " (" +
            format_percent(sum > 0 ? seconds / sum : nan_value) + ")";
    first = false;
  }
  ImGui::TextUnformatted((text + ".").c_str());
  step_parts(decode);
  const double read = number_at(decode, "weight_bytes_read_per_gpu");
  const double achieved = number_at(decode, "achieved_memory_bandwidth_bytes_per_second");
  if (read > 0 && achieved > 0) {
    std::string line = "Weight reads: " + format_bytes(read) + " per GPU per step, streamed at " +
                       format_bandwidth(achieved) +
                       " achieved: " + format_seconds(number_at(decode, "weight_reads_seconds")) +
                       ".";
    const double kv = number_at(decode, "kv_bytes_read_per_gpu");
    if (kv > 0) {
      line += " KV-cache reads: " + format_bytes(kv) + " per GPU per step, " +
              format_seconds(number_at(decode, "kv_reads_seconds")) + ".";
    }
    ImGui::TextUnformatted(line.c_str());
  }
  ImGui::Spacing();
  // Prefill.
  ImGui::TextUnformatted(
      ("Time to first token: " + format_seconds(number_at(r, "ttft_seconds"))).c_str());
  ImGui::Separator();
  ImGui::TextUnformatted(("A prompt of " + format_integer(number_at(prefill, "prefill_tokens")) +
                          " tokens is processed in chunks that share each step with the decoding "
                          "requests. Its prefill:")
                             .c_str());
  step_parts(prefill);
  const double waiting = number_at(r, "ttft_seconds") - number_at(prefill, "total_seconds");
  if (waiting > 1e-9) {
    ImGui::TextUnformatted(("plus " + format_seconds(waiting) +
                            " of per-request overhead (API, tokenizer, admission) and waiting for "
                            "room in the step's token budget = " +
                            format_seconds(number_at(r, "ttft_seconds")) + ".")
                               .c_str());
  }
  ImGui::Spacing();
  // Dollars.
  ImGui::TextUnformatted(
      ("Cost: " + format_usd(number_at(r, "usd_per_million_tokens")) + " per million tokens")
          .c_str());
  ImGui::Separator();
  const double per_hour = number_at(r, "usd_per_hour");
  if (std::isfinite(per_hour)) {
    const Json& sc = r["scenario"];
    const double devices = number_at(sc, "num_gpus");
    ImGui::TextUnformatted((format_integer(devices) + (devices == 1 ? " device" : " devices") +
                            " at " + format_usd(number_at(sc, "usd_per_gpu_hour")) + "/h cost " +
                            format_usd(per_hour) + "/h. They process " +
                            format_number(number_at(r, "input_tokens_per_second")) + " input + " +
                            format_number(number_at(r, "output_tokens_per_second")) +
                            " output tokens/s, so a million tokens cost " +
                            format_usd(number_at(r, "usd_per_million_tokens")) + ".")
                               .c_str());
    ImGui::TextUnformatted(
        ("Split by what the GPUs spend their time on: prompt processing is charged to input "
         "tokens (" +
         format_usd(number_at(r, "usd_per_million_input_tokens")) +
         " per million), decoding to output tokens (" +
         format_usd(number_at(r, "usd_per_million_output_tokens")) +
         " per million). Output tokens cost more because each needs a whole decode step.")
            .c_str());
  } else {
    ImGui::TextUnformatted(
        "No price per device-hour is known for this accelerator: enter one to see costs.");
  }
  ImGui::Spacing();
  // The batch.
  const Json& m = r["memory"];
  if (number_at(m, "kv_cache_bytes_per_request_per_gpu") > 0 &&
      number_at(m, "kv_cache_pool_bytes") > 0) {
    ImGui::TextUnformatted(
        ("Max concurrency: " + format_integer(number_at(r, "max_concurrency"))).c_str());
    ImGui::Separator();
    ImGui::TextUnformatted(
        ("Each request reserves its whole input + output in the KV cache: " +
         format_bytes(number_at(m, "kv_cache_bytes_per_request_per_gpu")) + " per GPU (" +
         format_bytes(number_at(m, "kv_cache_bytes_per_token_per_gpu")) +
         " per token), out of a KV pool of " + format_bytes(number_at(m, "kv_cache_pool_bytes")) +
         " per GPU; " + string_at(r, "limit_detail") + ".")
            .c_str());
  }
  ImGui::PopTextWrapPos();
}

// Every figure of the result JSON, folded as a tree.
void json_tree(const Json& j) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key =
        j.is_array() ? "[" + std::to_string(std::distance(j.begin(), it)) + "]" : it.key();
    if (it->is_structured()) {
      if (ImGui::TreeNode(key.c_str())) {
        json_tree(*it);
        ImGui::TreePop();
      }
    } else {
      ImGui::BulletText("%s: %s", key.c_str(), json_text(*it).c_str());
    }
  }
}

void sources_list(Ui::State& s) {
  const Json& r = s.model.result();
  if (!r.is_object()) return;
  const std::string gpu_id = string_at(r["scenario"], "gpu");
  const std::string model_id = string_at(r["scenario"], "model");
  auto list = [&](const Json* entry, const char* what) {
    if (entry == nullptr || !entry->contains("sources")) return;
    ImGui::Text("%s: %s", what, string_at(*entry, "name").c_str());
    for (auto it = (*entry)["sources"].begin(); it != (*entry)["sources"].end(); ++it) {
      const std::string url = string_at(*it, "source");
      ImGui::BulletText("%s (as of %s)", it.key().c_str(), string_at(*it, "as_of").c_str());
      ImGui::SameLine();
      ImGui::PushID(it.key().c_str());
      if (ImGui::SmallButton("open")) {
        if (s.services.open_url) s.services.open_url(url);
      }
      help_marker(url + (string_at(*it, "note").empty() ? "" : "\n" + string_at(*it, "note")));
      ImGui::PopID();
    }
  };
  const Json* model_entry = nullptr;
  for (const Json& m : s.model.models()) {
    if (string_at(m, "id") == model_id) model_entry = &m;
  }
  ImGui::PushID("gpu");
  list(s.model.gpu_entry(gpu_id), "Accelerator");
  ImGui::PopID();
  ImGui::Spacing();
  ImGui::PushID("model");
  list(model_entry, "Model");
  ImGui::PopID();
}

// Memory is charted in GiB (ticks at round GiB), read out as format_bytes shows it.
constexpr double bytes_per_gib = 1073741824.0;
std::string format_gib(double gib) { return format_bytes(gib * bytes_per_gib); }

std::vector<double> points_of(const Json& sweep, const char* key) {
  std::vector<double> values;
  if (!sweep.is_object() || !sweep.contains("points")) return values;
  for (const Json& p : sweep["points"]) values.push_back(number_at(p, key));
  return values;
}

std::vector<double> memory_gib_of(const Json& sweep, const char* key) {
  std::vector<double> values;
  if (!sweep.is_object() || !sweep.contains("points")) return values;
  for (const Json& p : sweep["points"]) {
    values.push_back(p.contains("memory") ? number_at(p["memory"], key) / bytes_per_gib
                                          : nan_value);
  }
  return values;
}

charts::Axis axis(std::string label, bool log, charts::Formatter format = {},
                  std::string prefix = "", std::string suffix = "") {
  charts::Axis a;
  a.label = std::move(label);
  a.log = log;
  a.format = std::move(format);
  a.tick_prefix = std::move(prefix);
  a.tick_suffix = std::move(suffix);
  return a;
}

void chart_frame(charts::Chart& chart, const Json& sweep, bool log_x) {
  chart.x = points_of(sweep, "x");
  const Json& x = sweep.is_object() && sweep.contains("x") ? sweep["x"] : Json();
  std::string label = string_at(x, "label");
  const std::string unit = string_at(x, "unit");
  if (!unit.empty()) label += " (" + unit + ")";
  chart.x_axis = axis(label, log_x, format_number);
  if (sweep.is_object() && sweep.contains("marker")) {
    const double m = number_of(sweep["marker"]);
    if (std::isfinite(m)) chart.marker = m;
  }
  chart.empty = string_at(sweep, "empty");
  if (!sweep.is_object()) chart.empty = "No data yet.";
}

charts::Series series(std::string label, std::vector<double> y, charts::SeriesKind kind,
                      ImU32 color, bool right = false) {
  charts::Series s;
  s.label = std::move(label);
  s.y = std::move(y);
  s.kind = kind;
  s.color = color;
  s.right_axis = right;
  return s;
}

// The four charts, each from one of the core's sweeps (as the web page's chart-data.ts maps them).
charts::Chart calculator_chart(const Model& model, SweepKind kind, bool dark) {
  using charts::SeriesKind;
  charts::Chart c;
  const Json& sweep = model.sweep(kind);
  switch (kind) {
    case SweepKind::batching:
      c.title = "Batching trade-off";
      chart_frame(c, sweep, true);
      c.y_axis = axis("$ per million tokens", true, format_usd, "$");
      c.y2_axis = axis("Tokens/s per user", false, format_number);
      c.y2_axis->include_zero = true;
      c.series.push_back(series("$ per million tokens", points_of(sweep, "usd_per_million_tokens"),
                                SeriesKind::line, palette(0, dark)));
      c.series.push_back(series("Tokens/s per user", points_of(sweep, "tokens_per_second_per_user"),
                                SeriesKind::line, palette(1, dark), true));
      break;
    case SweepKind::memory: {
      c.title = "Memory per GPU";
      chart_frame(c, sweep, true);
      c.y_axis = axis("Memory per GPU", false, format_gib, "", " GiB");
      c.y_axis.include_zero = true;
      const std::tuple<const char*, const char*, int> stack[] = {
          {"Weights", "weights_bytes", 2},
          {"Activations", "activation_bytes", 3},
          {"Runtime reserve", "runtime_reserved_bytes", 4},
          {"KV cache in use", "kv_cache_used_bytes", 0}};
      std::vector<double> below(c.x.size(), 0.0);
      int index = 0;
      for (const auto& [label, key, color] : stack) {
        std::vector<double> raw = memory_gib_of(sweep, key);
        std::vector<double> top(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
          top[i] = (std::isfinite(raw[i]) ? raw[i] : 0) + (i < below.size() ? below[i] : 0);
        }
        charts::Series s = series(label, top, SeriesKind::area, palette(color, dark));
        s.raw = raw;
        s.stacked_on = index - 1;
        c.series.push_back(std::move(s));
        if (index < 3) below = top;
        ++index;
      }
      // The KV pool sits on weights + workspace + reserve: drawn where it ends, read as its size.
      std::vector<double> pool = memory_gib_of(sweep, "kv_cache_pool_bytes");
      std::vector<double> pool_top(pool.size());
      for (std::size_t i = 0; i < pool.size(); ++i) pool_top[i] = pool[i] + below[i];
      charts::Series limit = series("KV pool limit", pool_top, SeriesKind::line, palette(1, dark));
      limit.raw = pool;
      limit.dashed = true;
      c.series.push_back(std::move(limit));
      c.series.push_back(series("Capacity", memory_gib_of(sweep, "capacity_bytes"),
                                SeriesKind::line, palette(5, dark)));
      break;
    }
    case SweepKind::context:
      c.title = "Context length";
      chart_frame(c, sweep, true);
      c.y_axis = axis("Time to first token", true, format_seconds, "", " s");
      c.y2_axis = axis("$ per million tokens", false, format_usd, "$");
      c.y2_axis->include_zero = true;
      c.series.push_back(series("Time to first token", points_of(sweep, "ttft_seconds"),
                                SeriesKind::line, palette(1, dark)));
      c.series.push_back(series("$ per million tokens", points_of(sweep, "usd_per_million_tokens"),
                                SeriesKind::line, palette(0, dark), true));
      break;
    case SweepKind::gpus: {
      c.title = "Accelerator comparison (cheapest layout each)";
      chart_frame(c, sweep, false);
      c.x_axis.label = "Accelerator";
      c.y_axis = axis("$ per million tokens", false, format_usd, "$");
      c.y_axis.include_zero = true;
      std::vector<double> others, mine, no_fit, unknown;
      if (sweep.is_object() && sweep.contains("points")) {
        for (const Json& p : sweep["points"]) {
          c.categories.push_back(string_at(p, "gpu"));
          const std::string status = string_at(p, "status");
          const double cost = status == "fits" ? number_at(p, "usd_per_million_tokens") : nan_value;
          const bool selected = p.value("selected", false);
          others.push_back(selected ? nan_value : cost);
          mine.push_back(selected ? cost : nan_value);
          no_fit.push_back(status == "does_not_fit" ? 0 : nan_value);
          unknown.push_back(status == "unknown" ? 0 : nan_value);
        }
      }
      c.series.push_back(
          series("$ per million tokens", others, SeriesKind::bars, palette(0, dark)));
      c.series.push_back(series("Your accelerator", mine, SeriesKind::bars, palette(1, dark)));
      c.series.push_back(series("Does not fit", no_fit, SeriesKind::points, palette(5, dark)));
      c.series.push_back(
          series("Cannot be estimated", unknown, SeriesKind::points, palette(2, dark)));
      c.marker.reset();
      break;
    }
  }
  return c;
}

void charts_grid(Ui::State& s) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float min_h = ImGui::GetFontSize() * 11;
  const bool two_columns = avail.x > ImGui::GetFontSize() * 40;
  const float w = two_columns ? (avail.x - gap) / 2 : avail.x;
  const float h = std::max(min_h, two_columns ? (avail.y - gap) / 2 : min_h * 1.2f);
  const charts::Colors colors = s.chart_colors();
  for (std::size_t i = 0; i < chart_sweeps.size(); ++i) {
    if (two_columns && i % 2 == 1) ImGui::SameLine();
    const charts::Chart chart = calculator_chart(s.model, chart_sweeps[i], s.options.dark);
    std::string id = "chart" + std::to_string(i);
    charts::draw(id.c_str(), chart, w, h, colors);
    if (chart_sweeps[i] == SweepKind::gpus && s.model.gpus_stale() && ImGui::IsItemVisible()) {
      // Shown until the search runs (once edits pause).
      ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMax().x - ImGui::GetFontSize() * 8,
                                       ImGui::GetItemRectMin().y + 4));
      ImGui::TextDisabled("(refreshing...)");
      ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y));
      ImGui::Dummy(ImVec2(0, 0));
    }
  }
}

void errors_banner(Ui::State& s, const std::vector<Problem>& problems, const char* what) {
  if (problems.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, error_color(s.options.dark));
  ImGui::TextWrapped(
      "%s has %zu problem%s (marked at its fields); the figures below are for the "
      "last valid one.",
      what, problems.size(), problems.size() == 1 ? "" : "s");
  for (const Problem& p : problems) {
    ImGui::BulletText("%s: %s", p.path.empty() ? "/" : p.path.c_str(), p.message.c_str());
  }
  ImGui::PopStyleColor();
}

// The views under the results fill the window, or at least 24 lines (the outputs then scroll).
float view_height() {
  return std::max(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 24);
}

void calculator(Ui::State& s) {
  const float input_w = ImGui::GetFontSize() * 21;
  ImGui::BeginChild("inputs", ImVec2(input_w, 0), true);
  ImGui::TextDisabled("Scenario%s", s.model.custom_catalog() ? " (your catalog)" : "");
  scenario_form(s);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("outputs", ImVec2(0, 0), false);
  errors_banner(s, s.model.errors(), "The scenario");
  results_table(s);
  ImGui::Spacing();
  if (ImGui::BeginTabBar("views")) {
    if (ImGui::BeginTabItem("Charts")) {
      ImGui::BeginChild("charts", ImVec2(0, view_height()), false);
      charts_grid(s);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    const ImGuiTabItemFlags why_flags = s.requested_why ? ImGuiTabItemFlags_SetSelected : 0;
    s.requested_why = false;
    if (ImGui::BeginTabItem("Why this number", nullptr, why_flags)) {
      ImGui::BeginChild("why", ImVec2(0, view_height()), false);
      why_this_number(s);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Every figure")) {
      ImGui::BeginChild("every", ImVec2(0, view_height()), false);
      if (s.model.result().is_object()) json_tree(s.model.result());
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Sources")) {
      ImGui::BeginChild("sources", ImVec2(0, view_height()), false);
      sources_list(s);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Planner: plan, bill, Pareto, waterfall, tornado

void plan_form(Ui::State& s) {
  Model& model = s.model;
  auto one = [&](const ScenarioField& f) {
    const std::string key(f.key);
    const Json& doc = model.plan_request();
    const Json value = doc.contains(key) ? doc[key] : Json();
    Json fallback;
    if (!f.default_literal.empty()) fallback = Json::parse(f.default_literal, nullptr, false);
    if (fallback.is_discarded()) fallback = Json();
    Json out;
    switch (field_widget(s, "plan", f, value, fallback, out)) {
      case Edit::none: break;
      case Edit::set_typed:
        model.set_plan(key, out);
        s.plan_changed(true);
        break;
      case Edit::set:
        model.set_plan(key, out);
        s.plan_changed(false);
        break;
      case Edit::unset:
        model.unset_plan(key);
        s.plan_changed(false);
        break;
    }
    field_problems(s, model.plan_errors(), key);
  };
  // The scenario's fields the planner does not search (the model and the workload's shape).
  for (const char* key : {"model", "input_tokens", "output_tokens", "engine"}) {
    if (const ScenarioField* f = find_scenario_field(key)) one(*f);
  }
  ImGui::Separator();
  for (const ScenarioField& f : plan_fields()) one(f);
}

charts::Chart pareto_chart(const Json& plan, bool dark) {
  charts::Chart c;
  c.title = "Pareto: throughput per GPU against speed per user";
  c.x_axis = axis("Tokens/s per user", true, format_number);
  c.y_axis = axis("Output tokens/s per GPU", false, format_number);
  c.y_axis.include_zero = true;
  const Json& pareto = plan.contains("pareto") ? plan["pareto"] : Json();
  const Json& points = pareto.is_object() && pareto.contains("throughput_vs_interactivity")
                           ? pareto["throughput_vs_interactivity"]
                           : Json::array();
  // Drawn left to right (the frontier's order on the x axis).
  std::vector<std::pair<double, const Json*>> order;
  for (const Json& p : points) order.push_back({number_at(p, "tokens_per_second_per_user"), &p});
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> y;
  for (const auto& [x, p] : order) {
    c.x.push_back(x);
    y.push_back(number_at(*p, "output_tokens_per_second_per_gpu"));
  }
  charts::Series line = series("Pareto frontier", y, charts::SeriesKind::line, palette(0, dark));
  charts::Series marks =
      series("Its configurations", y, charts::SeriesKind::points, palette(1, dark));
  c.series = {line, marks};
  if (c.x.empty()) c.empty = "No Pareto points in this plan.";
  return c;
}

charts::Chart waterfall_chart(const Json& plan, bool dark) {
  charts::Chart c;
  const Json& w = plan.contains("waterfall") ? plan["waterfall"] : Json();
  c.title = "Savings waterfall: $ per million tokens after each lever";
  c.x_axis = axis("Lever, in sequence", false);
  c.y_axis = axis("$ per million tokens", true, format_usd, "$");
  std::vector<double> y, from;
  c.categories.push_back("baseline");
  c.x.push_back(1);
  y.push_back(number_at(w, "baseline_usd_per_million_tokens"));
  from.push_back(nan_value);
  if (w.is_object() && w.contains("steps")) {
    for (const Json& step : w["steps"]) {
      c.categories.push_back(string_at(step, "lever"));
      c.x.push_back(static_cast<double>(c.x.size() + 1));
      from.push_back(y.back());
      y.push_back(number_at(step, "usd_per_million_tokens_after"));
    }
  }
  charts::Series bars =
      series("$ per million tokens", y, charts::SeriesKind::bars, palette(2, dark));
  bars.from = from;
  c.series.push_back(std::move(bars));
  if (!w.is_object()) c.empty = "No waterfall in this plan.";
  return c;
}

// The tornado: $ per million tokens with each input at its low and its high value (the core's
// sensitivity analysis of the calculator's scenario), widest swing first.
charts::Chart tornado_chart(const Json& sensitivity, bool dark) {
  charts::Chart c;
  c.title = "Tornado: $ per million tokens as each input moves";
  c.x_axis = axis("Input (low -> high)", false);
  c.y_axis = axis("$ per million tokens", false, format_usd, "$");
  std::vector<double> low, high, base;
  const double at_base = number_at(sensitivity, "usd_per_million_tokens");
  if (sensitivity.is_object() && sensitivity.contains("tornado")) {
    for (const Json& bar : sensitivity["tornado"]) {
      c.categories.push_back(string_at(bar, "input"));
      c.x.push_back(static_cast<double>(c.x.size() + 1));
      low.push_back(number_at(bar, "usd_per_million_tokens_at_low"));
      high.push_back(number_at(bar, "usd_per_million_tokens_at_high"));
      base.push_back(at_base);
    }
  }
  charts::Series at_low =
      series("Input at its low value", low, charts::SeriesKind::bars, palette(0, dark));
  at_low.from = base;
  charts::Series at_high =
      series("Input at its high value", high, charts::SeriesKind::bars, palette(1, dark));
  at_high.from = base;
  c.series = {at_low, at_high,
              series("This scenario", base, charts::SeriesKind::line, palette(5, dark))};
  if (c.x.empty()) c.empty = "No sensitivity for this scenario (it does not fit, or has no price).";
  return c;
}

void planner(Ui::State& s) {
  const float input_w = ImGui::GetFontSize() * 21;
  ImGui::BeginChild("plan inputs", ImVec2(input_w, 0), true);
  ImGui::TextDisabled("Workload, SLA and pricing");
  plan_form(s);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("plan outputs", ImVec2(0, 0), false);
  errors_banner(s, s.model.plan_errors(), "The plan request");
  const Json& plan = s.model.plan();
  if (!plan.is_object()) {
    ImGui::TextDisabled("No plan yet.");
    ImGui::EndChild();
    return;
  }
  const Json& best = plan.contains("best") ? plan["best"] : Json();
  ImGui::Text("%s  %s x %s (%s GPUs in all), %s weights, speculative %s, concurrency %s",
              plan.value("meets_sla", false) ? "Meets the SLA:" : "Misses the SLA; closest:",
              json_text(plan.value("replicas", Json())).c_str(), string_at(best, "gpu").c_str(),
              json_text(plan.value("gpus_total", Json())).c_str(),
              string_at(best, "weights").c_str(), string_at(best, "speculative").c_str(),
              json_text(best.value("concurrency", Json())).c_str());
  ImGui::Text("%s per month, %s per million tokens, utilization %s (%s)",
              format_usd(number_at(plan, "usd_per_month")).c_str(),
              format_usd(number_at(plan, "usd_per_million_tokens")).c_str(),
              format_percent(number_at(plan, "utilization")).c_str(),
              string_at(plan, "pricing").c_str());
  if (plan.contains("notes")) {
    for (const Json& n : plan["notes"]) {
      if (n.is_string()) ImGui::BulletText("%s", n.get<std::string>().c_str());
    }
  }
  if (ImGui::BeginTabBar("plan views")) {
    if (ImGui::BeginTabItem("Charts")) {
      const ImVec2 avail = ImGui::GetContentRegionAvail();
      const float gap = ImGui::GetStyle().ItemSpacing.x;
      const float w = (avail.x - gap) / 2;
      const float h = std::max(ImGui::GetFontSize() * 11, avail.y * 0.5f);
      const charts::Colors colors = s.chart_colors();
      charts::draw("pareto", pareto_chart(plan, s.options.dark), w, h, colors);
      ImGui::SameLine();
      charts::draw("waterfall", waterfall_chart(plan, s.options.dark), w, h, colors);
      // The tornado is about the calculator's scenario (its inputs moved one at a time).
      charts::draw("tornado", tornado_chart(s.model.sensitivity(), s.options.dark), avail.x,
                   std::max(ImGui::GetFontSize() * 12, ImGui::GetContentRegionAvail().y), colors);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Bill by way of paying")) {
      const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                    ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
      if (ImGui::BeginTable("bill", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const char* h :
             {"Way to pay", "$/device-h", "Replicas", "$/month", "$/M tokens", "Basis"}) {
          ImGui::TableSetupColumn(h);
        }
        ImGui::TableHeadersRow();
        if (plan.contains("bill")) {
          for (const Json& b : plan["bill"]) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(string_at(b, "pricing").c_str());
            if (!b.value("available", false)) {
              ImGui::TableNextColumn();
              ImGui::TextDisabled("not offered");
              for (int i = 0; i < 3; ++i) ImGui::TableNextColumn();
            } else {
              ImGui::TableNextColumn();
              ImGui::TextUnformatted(format_usd(number_at(b, "usd_per_gpu_hour")).c_str());
              ImGui::TableNextColumn();
              ImGui::TextUnformatted(format_integer(number_at(b, "replicas")).c_str());
              ImGui::TableNextColumn();
              ImGui::TextUnformatted(format_usd(number_at(b, "usd_per_month")).c_str());
              ImGui::TableNextColumn();
              ImGui::TextUnformatted(format_usd(number_at(b, "usd_per_million_tokens")).c_str());
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(string_at(b, "basis").c_str());
          }
        }
        ImGui::EndTable();
      }
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Serverless APIs")) {
      if (plan.contains("api")) {
        for (const Json& a : plan["api"]) {
          ImGui::BulletText("%s: %s per million tokens, %s per month; break-even at %s tokens/day",
                            string_at(a, "provider").c_str(),
                            format_usd(number_at(a, "usd_per_million_tokens")).c_str(),
                            format_usd(number_at(a, "usd_per_month")).c_str(),
                            format_number(number_at(a, "break_even_tokens_per_day")).c_str());
        }
      }
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Every figure")) {
      ImGui::BeginChild("plan every", ImVec2(0, 0), false);
      json_tree(plan);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
}

}  // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Files: dialog, open, save, export

Ui::Ui(Model& model, Services services, UiOptions options)
    : state_(std::make_unique<State>(model, std::move(services), options)) {
  state_->dialog.folder = current_directory();
}

Ui::~Ui() = default;

namespace {

void list_problems(Ui::State& s, std::string title, std::vector<Problem> problems) {
  s.problems_title = std::move(title);
  s.problems = std::move(problems);
  s.show_problems = true;
}

std::string problems_text(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& p : problems)
    text += (p.path.empty() ? "/" : p.path) + ": " + p.message + "\n";
  return text;
}

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

void problems_window(Ui::State& s) {
  if (!s.show_problems) return;
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, ImGui::GetFontSize() * 16),
                           ImGuiCond_Appearing);
  if (ImGui::Begin("Problems", &s.show_problems)) {
    ImGui::TextWrapped("%s", s.problems_title.c_str());
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, error_color(s.options.dark));
    for (const Problem& p : s.problems) {
      ImGui::BulletText("%s: %s", p.path.empty() ? "/" : p.path.c_str(), p.message.c_str());
    }
    ImGui::PopStyleColor();
    ImGui::TextDisabled("The app keeps what it had before.");
  }
  ImGui::End();
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

bool Ui::open_scenario_file(const std::string& path, std::string* problems) {
  State& s = *state_;
  std::string error;
  const std::optional<std::string> text = read_file(path, error);
  if (!text) {
    list_problems(s, "Could not open the scenario " + path, {{"read", "", error}});
    if (problems) *problems += path + ": " + error + "\n";
    return false;
  }
  // The state to keep if the file has problems: the current scenario's result.
  if (s.model.result().is_null()) s.model.evaluate();
  std::vector<Problem> found = s.model.load_scenario(*text);
  if (!found.empty()) {
    if (problems) *problems += problems_text(found);
    list_problems(s, "The scenario " + path + " cannot be used", std::move(found));
    return false;
  }
  s.scenario_changed(false);
  s.model.evaluate();
  s.evaluate = false;
  s.status = "Opened " + path;
  s.requested_tab = 0;
  if (!s.model.errors().empty()) {
    if (problems) *problems += problems_text(s.model.errors());
    list_problems(s, "The scenario " + path + " has problems (also marked at its fields)",
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
    list_problems(s, "Could not open the catalog " + path, {{"read", "", error}});
    if (problems) *problems += path + ": " + error + "\n";
    return false;
  }
  std::vector<Problem> found = s.model.load_catalog(*text);
  if (!found.empty()) {
    if (problems) *problems += problems_text(found);
    list_problems(s, "The catalog " + path + " was not loaded: the core found these problems",
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
    list_problems(s, "Could not open the config " + path, {{"read", "", error}});
    if (problems) *problems += path + ": " + error + "\n";
    return false;
  }
  std::string id;
  std::vector<Problem> found = s.model.import_model(*text, "", "", &id);
  if (!found.empty()) {
    if (problems) *problems += problems_text(found);
    list_problems(s, "The config " + path + " was not imported: the core found these problems",
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

void Ui::open_view_why() {
  state_->requested_tab = 0;
  state_->requested_why = true;
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
      {"charts.json", charts_export(model, false)},
      {"charts.csv", charts_export(model, true)},
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
    const auto [text, what] = saved_text(s.model, command);
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
      open_dialog(s, command, false, "Open a scenario (the CLI's --scenario JSON)", "");
      break;
    case Command::save_scenario:
      open_dialog(s, command, true, "Save the scenario", "scenario.json");
      break;
    case Command::open_catalog:
      open_dialog(s, command, false, "Open a catalog (assets/catalog/FORMAT.md)", "");
      break;
    case Command::import_model:
      open_dialog(s, command, false, "Import a model from its Hugging Face config.json", "");
      break;
    case Command::reset_catalog:
      s.model.reset_catalog();
      s.scenario_changed(false);
      s.plan_changed(false);
      s.status = "Back to the built-in catalog";
      break;
    case Command::export_result_json:
      open_dialog(s, command, true, "Export the result as JSON", "result.json");
      break;
    case Command::export_result_csv:
      open_dialog(s, command, true, "Export the result as CSV", "result.csv");
      break;
    case Command::export_charts_json:
      open_dialog(s, command, true, "Export the chart data (the four sweeps) as JSON",
                  "charts.json");
      break;
    case Command::export_charts_csv:
      open_dialog(s, command, true, "Export the chart data (the four sweeps) as CSV", "charts.csv");
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

// -----------------------------------------------------------------------------------------------
// [SECTION] Frame

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
      calculator(s);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Planner", nullptr, plan_flags)) {
      planner(s);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
  file_dialog(*this, s);
  problems_window(s);
  help_window(s);
}

}  // namespace pertoken::app
