// Problems on screen (see ui_panels.hpp): a document's above its figures, a file's in their own
// window.
#include "pertoken/text/figure_text.hpp"
#include "ui_panels.hpp"

namespace pertoken::app::panels {

void errors_banner(Ui::State& s, const std::vector<Problem>& problems, const char* what) {
  if (problems.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, error_color(s.options.dark));
  ImGui::TextWrapped(
      "%s has %s (marked at its fields); the figures below are for the last "
      "valid one.",
      what, format_count(static_cast<double>(problems.size()), "problem").c_str());
  for (const Problem& p : problems) {
    ImGui::BulletText("%s: %s", p.path.empty() ? "/" : p.path.c_str(), p.message.c_str());
  }
  ImGui::PopStyleColor();
}

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

}  // namespace pertoken::app::panels
