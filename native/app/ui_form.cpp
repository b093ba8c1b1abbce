// The form fields (see ui_panels.hpp), grown from the core's field tables: one widget per field,
// its problems under it. The calculator's and the planner's forms are built from these.
#include <cmath>
#include <cstdlib>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "format.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/scenario/fields.hpp"
#include "ui_panels.hpp"

namespace pertoken::app::panels {

namespace {

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

}  // namespace

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
      // The core's label for a word where it has one (an engine's name and versions, what a plan
      // basis reads), as the page's picker shows it; else the word itself.
      auto shown = [&f](const std::string& word) {
        std::string named = value_label(f, word);
        if (named.empty()) named = std::string(plan_value_label(f, word));
        return named.empty() ? word : named;
      };
      const std::string current =
          set ? shown(json_text(value))
              : "auto: " + (fallback_text.empty() ? "-" : shown(fallback_text));
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
          if (ImGui::Selectable((shown(w) + "##" + w).c_str(), selected)) {
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

}  // namespace pertoken::app::panels
