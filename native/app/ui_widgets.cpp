// Small helpers every panel uses (see ui_panels.hpp): colours, tooltips, JSON as text.
#include <cmath>
#include <cstdio>
#include <iterator>

#include "ui_panels.hpp"

namespace pertoken::app::panels {

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

}  // namespace pertoken::app::panels
