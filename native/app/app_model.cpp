// The app's state and the core's answers (see app_model.hpp). Calls the core's JSON doors only.
#include "app_model.hpp"

#include <chrono>
#include <cstdio>

#include "pertoken/json/import_json.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/estimate.hpp"

namespace pertoken::app {
namespace {

using Json = nlohmann::json;

Json parse_or_null(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

std::size_t sweep_index(SweepKind kind) {
  for (std::size_t i = 0; i < chart_sweeps.size(); ++i) {
    if (chart_sweeps[i] == kind) return i;
  }
  return 0;
}

// The document the app opens with before the user picks anything: the CLI's `make cli` example.
Json starting_scenario() { return Json{{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}}; }

// The planner's starting request: the core's example, as the page's planner starts from it.
Json starting_plan() { return Json::parse(example_plan_request_json()); }

}  // namespace

Model::Model()
    : catalog_(embedded_catalog_with_prices()),
      scenario_(starting_scenario()),
      plan_request_(starting_plan()) {
  refresh_catalog_views();
}

void Model::refresh_catalog_views() {
  gpus_ = parse_or_null(catalog_gpus_json(catalog_));
  models_ = parse_or_null(catalog_models_json(catalog_));
  if (!gpus_.is_array()) gpus_ = Json::array();
  if (!models_.is_array()) models_ = Json::array();
  gpus_stale_ = true;
}

const Json* Model::gpu_entry(std::string_view id) const {
  for (const Json& g : gpus_) {
    const auto it = g.find("id");
    if (it != g.end() && it->is_string() && it->get<std::string>() == id) return &g;
  }
  return nullptr;
}

std::vector<Problem> Model::problems_of(const Json& answer) {
  std::vector<Problem> problems;
  const auto errors = answer.find("errors");
  if (!answer.is_object() || errors == answer.end() || !errors->is_array()) return problems;
  for (const Json& e : *errors) {
    Problem p;
    if (e.contains("code") && e["code"].is_string()) p.code = e["code"].get<std::string>();
    if (e.contains("path") && e["path"].is_string()) p.path = e["path"].get<std::string>();
    if (e.contains("message") && e["message"].is_string()) {
      p.message = e["message"].get<std::string>();
    }
    problems.push_back(std::move(p));
  }
  return problems;
}

void Model::set(std::string_view key, Json value) {
  const std::string_view other = alternative_of(key);
  if (!other.empty()) scenario_.erase(std::string(other));
  scenario_[std::string(key)] = std::move(value);
}

void Model::unset(std::string_view key) { scenario_.erase(std::string(key)); }

std::vector<Problem> Model::load_scenario(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return {{"invalid_json", "", "not valid JSON"}};
  if (!j.is_object()) return {{"invalid_type", "", "a scenario must be a JSON object"}};
  scenario_ = std::move(j);
  return {};
}

std::string Model::scenario_text() const {
  return scenario_.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::vector<Problem> Model::load_catalog(std::string_view text) {
  Catalog candidate = catalog_;
  const Json answer =
      parse_or_null(apply_catalog_json(text, embedded_catalog_with_prices(), candidate));
  std::vector<Problem> problems = problems_of(answer);
  if (!answer.is_object() || (problems.empty() && !answer.value("ok", false))) {
    problems.push_back({"internal", "", "the core gave no answer for this catalog"});
  }
  if (!problems.empty()) return problems;
  // The imported models stay on top (they were accepted over the last catalog; a model entry
  // stands alone, so they are over this one too).
  if (!imported_models_.empty()) {
    const Catalog with_file = candidate;
    apply_catalog_json(imported_models_, with_file, candidate);
  }
  catalog_ = std::move(candidate);
  custom_catalog_ = true;
  refresh_catalog_views();
  return problems;
}

void Model::reset_catalog() {
  catalog_ = embedded_catalog_with_prices();
  custom_catalog_ = false;
  imported_models_.clear();
  refresh_catalog_views();
}

std::vector<Problem> Model::import_model(std::string_view config_text, std::string_view id,
                                         std::string_view name, std::string* imported_id) {
  const Json answer = parse_or_null(import_model_json(config_text, id, name, imported_models_));
  std::vector<Problem> problems = problems_of(answer);
  if (!answer.is_object() || (problems.empty() && !answer.value("ok", false))) {
    problems.push_back({"internal", "", "the core gave no answer for this config"});
  }
  if (!problems.empty()) return problems;
  // The new document holds every imported model: laid over the catalog in use, it adds this one.
  const std::string document = answer["catalog"].dump();
  Catalog candidate = catalog_;
  problems = problems_of(parse_or_null(apply_catalog_json(document, catalog_, candidate)));
  if (!problems.empty()) return problems;
  catalog_ = std::move(candidate);
  imported_models_ = document;
  custom_catalog_ = true;
  if (imported_id) *imported_id = answer.value("id", "");
  refresh_catalog_views();
  return problems;
}

void Model::evaluate() {
  const std::string text = scenario_.dump(-1, ' ', false, Json::error_handler_t::replace);
  defaults_ = parse_or_null(scenario_defaults_json(text, catalog_));
  if (!defaults_.is_object()) defaults_ = Json::object();
  std::string answer_text = evaluate_scenario_json(text, catalog_, today_iso_date());
  Json answer = parse_or_null(answer_text);
  errors_ = problems_of(answer);
  if (!answer.is_object()) errors_.push_back({"internal", "", "the core gave no result"});
  if (!errors_.empty()) return;  // the last good result stays on screen
  result_ = std::move(answer);
  result_text_ = std::move(answer_text);
  good_scenario_text_ = text;
  // The scenario parsed again (the result is its text): its accelerator is the one the result ran
  // on, inline or from the catalog.
  Result<Scenario> scenario = parse_scenario(text, catalog_);
  why_ =
      scenario.ok() ? why_this_number(result_text_, scenario.value()) : std::vector<WhySection>{};
  for (SweepKind kind : chart_sweeps) {
    if (kind == SweepKind::gpus) continue;
    const std::size_t i = sweep_index(kind);
    sweep_texts_[i] = evaluate_sweep_json(to_string(kind), text, catalog_);
    sweeps_[i] = parse_or_null(sweep_texts_[i]);
  }
  gpus_stale_ = true;
}

void Model::evaluate_gpus() {
  gpus_stale_ = false;
  if (good_scenario_text_.empty()) return;
  const std::size_t i = sweep_index(SweepKind::gpus);
  sweep_texts_[i] = evaluate_sweep_json(to_string(SweepKind::gpus), good_scenario_text_, catalog_);
  sweeps_[i] = parse_or_null(sweep_texts_[i]);
}

const Json& Model::sweep(SweepKind kind) const { return sweeps_[sweep_index(kind)]; }

const std::string& Model::sweep_text(SweepKind kind) const {
  return sweep_texts_[sweep_index(kind)];
}

std::string Model::result_csv() const {
  if (good_scenario_text_.empty()) return "";
  Result<Scenario> scenario = parse_scenario(good_scenario_text_, catalog_);
  if (!scenario.ok()) return "";
  return estimate_to_csv(scenario.value(),
                         estimate_with_uncertainty(scenario.value(), catalog_.efficiency));
}

std::string Model::sweep_csv(SweepKind kind) const {
  if (good_scenario_text_.empty()) return "";
  Result<Scenario> scenario = parse_scenario(good_scenario_text_, catalog_);
  if (!scenario.ok()) return "";
  return sweep_to_csv(run_sweep(kind, scenario.value(), catalog_), catalog_);
}

void Model::set_plan(std::string_view key, Json value) {
  const std::string_view other = alternative_of(key);
  if (!other.empty()) plan_request_.erase(std::string(other));
  plan_request_[std::string(key)] = std::move(value);
}

void Model::unset_plan(std::string_view key) { plan_request_.erase(std::string(key)); }

std::string Model::plan_request_text() const {
  return plan_request_.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void Model::evaluate_plan() {
  Json answer = parse_or_null(evaluate_plan_json(plan_request_text(), catalog_));
  plan_errors_ = problems_of(answer);
  if (!answer.is_object()) plan_errors_.push_back({"internal", "", "the core gave no plan"});
  if (plan_errors_.empty()) plan_ = std::move(answer);
}

std::string today_iso_date() {
  const std::chrono::year_month_day date{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string evaluate_for_print(std::string_view scenario_text, bool& ok) {
  return evaluate_for_print(scenario_text, embedded_catalog_with_prices(), ok);
}

std::string evaluate_for_print(std::string_view scenario_text, const Catalog& catalog, bool& ok) {
  std::string answer = evaluate_scenario_json(scenario_text, catalog, today_iso_date());
  const Json j = parse_or_null(answer);
  ok = j.is_object() && !j.contains("errors");
  return answer;
}

}  // namespace pertoken::app
