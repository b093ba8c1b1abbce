// The WebAssembly door: plain exported C functions over the core's JSON API (no embind, so the
// page needs only CSP 'wasm-unsafe-eval'). The only file besides web/CMakeLists.txt that knows
// about Emscripten. It translates and holds the catalog in use; every rule (defaults, nulls,
// sweeps, the layout search) is the core's. Every function returns a NUL-terminated UTF-8 JSON
// string that stays valid until the next call into the door; JavaScript copies it.
#include <emscripten/emscripten.h>

#include <optional>
#include <string>
#include <string_view>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/json/prices_json.hpp"
#include "pertoken/scenario/presets.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/version.hpp"

namespace {

const char* give(std::string text) {
  static std::string buffer;
  buffer = std::move(text);
  return buffer.c_str();
}

// The built-in catalog, with the price catalog once the page has loaded it (pertoken_set_prices).
pertoken::Catalog& base_catalog() {
  static pertoken::Catalog catalog = pertoken::embedded_catalog();
  return catalog;
}

// The catalog in use: the built-in one, or the built-in one extended by the user's file. Empty
// until a call needs all of it: a first answer does not wait for the whole catalog.
std::optional<pertoken::Catalog>& active_slot() {
  static std::optional<pertoken::Catalog> catalog;
  return catalog;
}

pertoken::Catalog& active_catalog() {
  if (!active_slot()) active_slot() = pertoken::embedded_catalog();
  return *active_slot();
}

// For a call about one scenario: the catalog in use, or, while that is still the built-in one
// unread, only the built-in entries the scenario names, which answer the same.
const pertoken::Catalog& catalog_for(std::string_view scenario_json) {
  if (active_slot()) return *active_slot();
  static pertoken::Catalog named;
  named = pertoken::embedded_catalog_for_scenario(scenario_json);
  return named;
}

}  // namespace

extern "C" {

// Scenario JSON in, result JSON (or {"errors": [...]}) out. today: the browser's date
// (YYYY-MM-DD), against which the core ages the price it uses ("" for none).
EMSCRIPTEN_KEEPALIVE const char* pertoken_evaluate(const char* scenario_json, const char* today) {
  return give(pertoken::evaluate_scenario_json(scenario_json, catalog_for(scenario_json), today));
}

// The same without the uncertainty bands (null): for a first view that shows them a moment later.
EMSCRIPTEN_KEEPALIVE const char* pertoken_evaluate_point(const char* scenario_json,
                                                         const char* today) {
  return give(
      pertoken::evaluate_scenario_point_json(scenario_json, catalog_for(scenario_json), today));
}

// kind: batching | memory | context | gpus. Scenario JSON in, the sweep JSON out (the series the
// charts draw, exactly as `pertoken sweep KIND --format json` prints them).
EMSCRIPTEN_KEEPALIVE const char* pertoken_sweep(const char* kind, const char* scenario_json) {
  return give(pertoken::evaluate_sweep_json(kind, scenario_json, active_catalog()));
}

// The value each field takes when the (partial) scenario leaves it out.
EMSCRIPTEN_KEEPALIVE const char* pertoken_scenario_defaults(const char* scenario_json) {
  return give(pertoken::scenario_defaults_json(scenario_json, catalog_for(scenario_json)));
}

// Validates a user catalog document; when valid it extends the built-in catalog (by id) for
// every later call. An empty string restores the built-in catalog. Returns check_catalog_json's
// object ({"ok": true, ...} or {"errors": [...]}).
EMSCRIPTEN_KEEPALIVE const char* pertoken_set_catalog(const char* catalog_json) {
  return give(pertoken::apply_catalog_json(catalog_json, base_catalog(), active_catalog()));
}

// The price catalog (assets/catalog/prices.json's text), loaded after the first answer so that
// the accelerator comparison prices every accelerator on one lens; the first view does not carry
// it. Returns {"ok": true, ...} or {"errors": [...]}.
EMSCRIPTEN_KEEPALIVE const char* pertoken_set_prices(const char* prices_json) {
  return give(pertoken::load_prices_json(prices_json, base_catalog(), active_catalog()));
}

// The accelerator comparison's own keys (the price basis and its lens words, the interactivity
// floor, the largest instance), in the shape of pertoken_scenario_fields.
EMSCRIPTEN_KEEPALIVE const char* pertoken_comparison_fields() {
  return give(pertoken::fields_json(pertoken::comparison_fields()));
}

// A second catalog document laid over the catalog in use (after pertoken_set_catalog): the
// models imported from config.json files, kept apart from the user's catalog file. A rejected
// document leaves the catalog as it was. Returns check_catalog_json's object.
EMSCRIPTEN_KEEPALIVE const char* pertoken_add_catalog(const char* catalog_json) {
  const pertoken::Catalog current = active_catalog();
  return give(pertoken::apply_catalog_json(catalog_json, current, active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_gpus() {
  return give(pertoken::catalog_gpus_json(active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_models() {
  return give(pertoken::catalog_models_json(active_catalog()));
}

// Ids and names only, for the pickers of the first view (pertoken_models/gpus build every entry
// with its sources).
EMSCRIPTEN_KEEPALIVE const char* pertoken_catalog_names() {
  return give(pertoken::catalog_names_json(active_slot() ? pertoken::catalog_names(*active_slot())
                                                         : pertoken::embedded_catalog_names()));
}

// The named workloads (chat, RAG...) with their lengths, latency targets and reasons.
EMSCRIPTEN_KEEPALIVE const char* pertoken_presets() {
  return give(pertoken::workload_presets_json());
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_scenario_fields() {
  return give(pertoken::scenario_fields_json());
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_efficiency() {
  return give(pertoken::efficiency_json(active_catalog().efficiency));
}

// The methodology page's calls (efficiency_method, validation) live in the planner's module
// (plan_door.cpp), which that page loads: the calculator's first view does not carry them.
EMSCRIPTEN_KEEPALIVE const char* pertoken_version() {
  return give(std::string(pertoken::version()));
}

}  // extern "C"
