// The planner's WebAssembly door, a module of its own (pertoken-plan.wasm) so that the calculator's
// first view does not carry the planner and the price catalog: the page loads it when the planner
// is opened. Plain exported C functions over the core's JSON API, as in door.cpp.
#include <emscripten/emscripten.h>

#include <string>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/plan/plan_json.hpp"

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

// The plan's own fields (the planner form grows from them, as the calculator's from the
// scenario's).
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_fields() {
  return give(pertoken::plan_fields_json());
}

// The same catalog document the calculator's door takes (a "prices" object extends the prices).
EMSCRIPTEN_KEEPALIVE const char* pertoken_plan_set_catalog(const char* catalog_json) {
  return give(pertoken::apply_catalog_json(catalog_json, pertoken::embedded_catalog_with_prices(),
                                           active_catalog()));
}

}  // extern "C"
