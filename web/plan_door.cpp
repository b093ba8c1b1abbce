// The planner's WebAssembly door, a module of its own (pertoken-plan.wasm) so that the calculator's
// first view does not carry the planner and the price catalog: the page loads it when the planner
// is opened. Plain exported C functions over the core's JSON API, as in door.cpp.
#include <emscripten/emscripten.h>

#include <string>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/json/import_json.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/plan/sensitivity.hpp"
#include "pertoken/plan/volume_sweep.hpp"
#include "pertoken/version.hpp"

namespace {

const char* give(std::string text) {
  static std::string buffer;
  buffer = std::move(text);
  return buffer.c_str();
}

pertoken::Catalog& active_catalog() {
  static pertoken::Catalog catalog = pertoken::embedded_catalog_with_prices();
  return catalog;
}

}  // namespace

extern "C" {

// Plan request JSON in (the scenario's keys plus the workload, the SLA and the search's bounds),
// the plan JSON out: exactly what `pertoken plan --format json` prints.
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan(const char* request_json) {
  return give(pertoken::evaluate_plan_json(request_json, active_catalog()));
}

// A plan's JSON (pertoken_plan's text) in, its CSV out, without planning again: exactly what
// `pertoken plan --format csv` prints for that request (or {"errors": [...]}). The page exports
// the plan it shows.
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_json_csv(const char* plan_json) {
  return give(pertoken::plan_json_to_csv(plan_json));
}

// Plan request JSON in, cost against volume out (the plan at each volume of the core's ladder,
// every way to pay, the APIs and the break-even volumes): exactly what `pertoken sweep volume
// --format json` prints.
EMSCRIPTEN_KEEPALIVE const char* pertoken_volume_sweep(const char* request_json) {
  return give(pertoken::evaluate_volume_sweep_json(request_json, active_catalog()));
}

// The plan's own fields (the planner form grows from them, as the calculator's from the
// scenario's).
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_fields() {
  return give(pertoken::plan_fields_json());
}

// The request the planner page starts from on a first visit (the app starts from it too).
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_example() {
  return give(pertoken::example_plan_request_json());
}

// Sensitivity request JSON in (a scenario plus utilization, relative_step and an optional
// target_usd_per_million_tokens), the tornado and the inverse answers out: exactly what
// `pertoken sensitivity --format json` prints.
EMSCRIPTEN_KEEPALIVE const char* pertoken_sensitivity(const char* request_json) {
  return give(pertoken::evaluate_sensitivity_json(request_json, active_catalog()));
}

// The scenario fields a plan request takes (the planner searches the others): with
// pertoken_plan_fields, the planner form's whole field list.
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_scenario_fields() {
  return give(pertoken::plan_scenario_fields_json());
}

// The catalog's model and accelerator ids and names (the planner's pickers), as in door.cpp.
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_catalog_names() {
  return give(pertoken::catalog_names_json(active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_version() {
  return give(std::string(pertoken::version()));
}

// The sensitivity request's own fields (utilization, relative_step, target), as the plan's.
EMSCRIPTEN_KEEPALIVE const char* pertoken_sensitivity_fields() {
  return give(pertoken::fields_json(pertoken::sensitivity_fields()));
}

// The methodology page's calls (it loads this module, not the calculator's): the scenario
// fields, the efficiency factors in use, how they were fitted, and the scoreboard of a shipped
// measurement set ("calibration" or "holdout") predicted by the active catalog. The page fetches
// the set's files (pertoken_measurement_set_files) and passes their texts in: the module does not
// carry the measurements, so the planner's page does not download them.
EMSCRIPTEN_KEEPALIVE const char* pertoken_scenario_fields() {
  return give(pertoken::scenario_fields_json());
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_efficiency() {
  return give(pertoken::efficiency_json(active_catalog().efficiency));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_efficiency_method() {
  return give(pertoken::efficiency_method_json());
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_measurement_set_files(const char* set) {
  return give(pertoken::measurement_set_files_json(set));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_validation(const char* set, const char* texts_json) {
  return give(pertoken::validation_json_from_files(set, texts_json, active_catalog()));
}

// The same catalog document the calculator's door takes (a "prices" object extends the prices).
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_set_catalog(const char* catalog_json) {
  return give(pertoken::apply_catalog_json(catalog_json, pertoken::embedded_catalog_with_prices(),
                                           active_catalog()));
}

// The models imported from config.json files (the calculator keeps them as a catalog document)
// laid over the catalog in use, as in door.cpp.
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_add_catalog(const char* catalog_json) {
  const pertoken::Catalog current = active_catalog();
  return give(pertoken::apply_catalog_json(catalog_json, current, active_catalog()));
}

// A Hugging Face config.json -> a model added to the document of imported models (the core's
// importer, which the calculator's first view does not carry: its page loads this module when the
// user imports). Returns import_model_json's object.
EMSCRIPTEN_KEEPALIVE const char* pertoken_import_model(const char* config_json, const char* id,
                                                       const char* name,
                                                       const char* models_document) {
  return give(pertoken::import_model_json(config_json, id, name, models_document));
}

}  // extern "C"
