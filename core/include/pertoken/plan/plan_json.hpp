// The plan's JSON contract: the request (the scenario's keys plus the workload, the SLA and the
// search's bounds, one table of fields like the scenario's) and the answer (`pertoken plan
// --format json`, the web page's planner, the app).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/plan/planner.hpp"
#include "pertoken/scenario/fields.hpp"

namespace pertoken {

// The plan's own keys (the scenario's keys are accepted too; gpu is optional: it is searched).
// Same columns as the scenario field table, so the CLI and the forms treat both alike.
std::span<const ScenarioField> plan_fields();
const ScenarioField* find_plan_flag(std::string_view flag);
// What a picker shows for one of a plan field's words ("" where the word says it itself).
std::string_view plan_value_label(const ScenarioField& field, std::string_view value);
// The plan fields as JSON, in the shape of scenario_fields_json (with plan_value_label's
// "value_labels").
std::string plan_fields_json();

// The scenario fields a plan request takes (the model, the lengths, the prefix-cache hit rate,
// the engine...): every scenario field but those the planner searches or sizes itself
// (accelerator, device count, layout, precisions, concurrency, request rate, price). The web
// planner's form grows from these and plan_fields_json.
bool plan_searches(std::string_view scenario_key);
std::string plan_scenario_fields_json();

// The request a planner door starts from when nothing is chosen yet (the page's first visit, the
// app's start): the calculator's starting model serving a chat workload of 2e9 tokens a day with
// an interactive SLA (first token within 2 s, 50 ms per output token), the README's example
// volume and targets. An example, not a default: a plan request states its own volume.
std::string example_plan_request_json();

// A plan request document -> a checked PlanRequest; diagnostics name the JSON field
// ("/max_ttft_seconds: must be > 0").
Result<PlanRequest> parse_plan_request(std::string_view json_text, const Catalog& catalog);

// Lays `overrides` (keys with JSON text values, e.g. CLI flags) over a plan request document as
// overlay_scenario does, and a volume among them (tokens_per_day, requests_per_second,
// audio_hours_per_day) replaces the document's, whichever of the three it gave: a flag overrides
// the file. Fails only when `document` is not a JSON object.
Result<std::string> overlay_plan_request(
    std::string_view document, const std::vector<std::pair<std::string, std::string>>& overrides);

// {"meets_sla", "beyond_replica_limit" (nothing listed because the volume needs more replicas
// than the planner sizes), "answer" ({"verdict", "detail"}: plan_answer), "best", "replicas",
// "gpus_total", "utilization", "usd_per_month", "usd_per_million_tokens", "bill", "api",
// "alternatives", "closest", "pareto", "waterfall", "carbon_g_per_million_tokens",
// "kwh_per_million_tokens", "searched_configurations", "notes"...}
std::string plan_to_json(const PlanRequest& request, const Plan& plan);

// The plan as CSV, the same file at every door (`pertoken plan --format csv`, the planner page's
// CSV export): one row per listed configuration, the best first and then the alternatives, or the
// closest alone when nothing meets the SLA; its figures are the plan JSON's, in SI units. The
// first sixteen columns (rank ... tpot_seconds) are the CLI's original ones, in their order.
std::string plan_to_csv(const Plan& plan);

// The same CSV from a plan's JSON text (plan_to_json's), for a door that holds the plan already
// and need not plan again; {"errors": [...]} when the text is not a plan.
std::string plan_json_to_csv(std::string_view plan_json);

// Plan request JSON in, plan JSON out (or {"errors": [...]}).
std::string evaluate_plan_json(std::string_view request_json, const Catalog& catalog);

}  // namespace pertoken
