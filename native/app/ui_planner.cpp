// The planner page (see ui_panels.hpp): the plan request's form, then the plan: its headline, the
// charts, the bill by way of paying, serverless APIs and every figure.
#include <algorithm>

#include "format.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "ui_panels.hpp"

namespace pertoken::app::panels {

namespace {

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
  // The scenario's fields the planner does not search (the model, the workload's shape, the
  // engine...): the core's list, as the web planner's form has them.
  for (const ScenarioField& f : scenario_fields()) {
    if (!plan_searches(f.key)) one(f);
  }
  ImGui::Separator();
  for (const ScenarioField& f : plan_fields()) one(f);
}

}  // namespace

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
  // The core's answer in words (the plan JSON's "answer"), as the CLI and the page show it.
  const Json answer = plan.contains("answer") ? plan["answer"] : Json();
  for (const char* key : {"verdict", "detail"}) {
    const std::string line = string_at(answer, key);
    if (!line.empty()) ImGui::TextWrapped("%s", line.c_str());
  }
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
      // The tornado of the plan's best, as the page's planner shows it: the figure it swings
      // around is the plan's $ per million tokens above.
      const Json sensitivity = plan.contains("sensitivity") ? plan["sensitivity"] : Json();
      charts::draw("tornado", tornado_chart(sensitivity, s.options.dark), avail.x,
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

}  // namespace pertoken::app::panels
