// The calculator page (see ui_panels.hpp): the scenario's form, its results, the sources of its
// figures and the views under them (charts, why this number, every figure, sources).
#include <algorithm>
#include <cmath>

#include "format.hpp"
#include "pertoken/text/result_words.hpp"
#include "ui_panels.hpp"

namespace pertoken::app::panels {

namespace {

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
  // Named as the CLI's table names them (the catalog's names), the id where none is known.
  const std::string model_id = string_at(sc, "model");
  const std::string gpu_id = string_at(sc, "gpu");
  const ModelSpec* model = s.model.catalog().find_model(model_id);
  const GpuSpec* gpu = s.model.catalog().find_gpu(gpu_id);
  ImGui::Text("%s on %s x %s  (tp %s, pp %s, ep %s; weights %s, KV cache %s)",
              (model ? model->name : model_id).c_str(),
              json_text(sc.value("num_gpus", Json())).c_str(), (gpu ? gpu->name : gpu_id).c_str(),
              json_text(sc.value("tp", Json())).c_str(), json_text(sc.value("pp", Json())).c_str(),
              json_text(sc.value("ep", Json())).c_str(), string_at(sc, "weights").c_str(),
              string_at(sc, "kv_cache").c_str());
  spec_line(s);
  const bool fits = r.value("fits", false);
  if (!fits) ImGui::PushStyleColor(ImGuiCol_Text, error_color(s.options.dark));
  ImGui::TextWrapped("%s: %s", fits ? "Fits" : "Does not fit",
                     string_at(r, "limit_detail").c_str());
  if (!fits) ImGui::PopStyleColor();
  // The core names the fewest devices that hold a deployment too big for its devices: one click
  // lays the scenario out that way (a copy: setting keys re-evaluates the result read here).
  if (const Json fewest = r.value("fewest_devices_that_fit", Json()); fewest.is_object()) {
    const std::string label = "Use " + json_text(fewest["num_gpus"]) + " (tp " +
                              json_text(fewest["tp"]) + ", pp " + json_text(fewest["pp"]) +
                              ", ep " + json_text(fewest["ep"]) + ")";
    if (ImGui::SmallButton(label.c_str())) {
      for (const char* key : {"num_gpus", "tp", "pp", "ep"}) s.model.set(key, fewest[key]);
      s.scenario_changed(false);
      return;
    }
  }
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
        {"Decode bound", std::string(decode_bound_words(string_at(r, "decode_bound")))},
        {"Limit", std::string(limit_reason_words(string_at(r, "limit_reason")))},
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

// The views under the results fill the window, or at least 24 lines (the outputs then scroll).
float view_height() {
  return std::max(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 24);
}

}  // namespace

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

}  // namespace pertoken::app::panels
