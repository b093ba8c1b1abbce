// The calculator's "Why this number" view (see ui_panels.hpp): the core's words for the result
// (pertoken/text/why_words.hpp), the lines the web page and `pertoken estimate --why` show.
#include "ui_panels.hpp"

namespace pertoken::app::panels {

void why_this_number(Ui::State& s) {
  ImGui::PushTextWrapPos(0);
  bool first = true;
  for (const WhySection& section : s.model.why()) {
    if (!first) ImGui::Spacing();
    first = false;
    for (const WhyLine& line : section.lines) {
      switch (line.kind) {
        case WhyLine::Kind::heading:
          ImGui::TextUnformatted(line.text.c_str());
          ImGui::Separator();
          break;
        case WhyLine::Kind::paragraph: ImGui::TextUnformatted(line.text.c_str()); break;
        case WhyLine::Kind::item: ImGui::BulletText("%s", line.text.c_str()); break;
      }
    }
  }
  ImGui::PopTextWrapPos();
}

}  // namespace pertoken::app::panels
