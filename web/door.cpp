// The WebAssembly door: plain exported C functions over the core's JSON API (no embind, so the
// page needs only CSP 'wasm-unsafe-eval'). The only file besides web/CMakeLists.txt that knows
// about Emscripten. Every function returns a NUL-terminated UTF-8 JSON string that stays valid
// until the next call into the door; JavaScript copies it with UTF8ToString.
#include <emscripten/emscripten.h>

#include <string>

#include "pertoken/catalog.hpp"
#include "pertoken/estimate.hpp"
#include "pertoken/json_api.hpp"
#include "pertoken/validation.hpp"
#include "pertoken/version.hpp"

namespace {

std::string& result_buffer() {
  static std::string buffer;
  return buffer;
}

const char* give(std::string text) {
  result_buffer() = std::move(text);
  return result_buffer().c_str();
}

// The catalog in use: the built-in one, or the built-in one extended by the user's file.
pertoken::Catalog& active_catalog() {
  static pertoken::Catalog catalog = pertoken::embedded_catalog();
  return catalog;
}

}  // namespace

extern "C" {

// Scenario JSON in, result JSON (or {"errors": [...]}) out.
EMSCRIPTEN_KEEPALIVE const char* pertoken_evaluate(const char* scenario_json) {
  return give(pertoken::evaluate_scenario_json(scenario_json, active_catalog()));
}

// Validates a user catalog document; when valid it extends the built-in catalog (by id) for
// every later call. An empty string restores the built-in catalog. Returns check_catalog_json's
// object ({"ok": true, ...} or {"errors": [...]}).
EMSCRIPTEN_KEEPALIVE const char* pertoken_set_catalog(const char* catalog_json) {
  const std::string_view text(catalog_json);
  if (text.empty()) {
    active_catalog() = pertoken::embedded_catalog();
    return give(R"({"ok": true, "reset": true})");
  }
  std::string report = pertoken::check_catalog_json(text);
  pertoken::Result<pertoken::CatalogDocument> document = pertoken::parse_catalog_document(text);
  if (document.ok()) {
    active_catalog() = pertoken::merge_catalog(pertoken::embedded_catalog(), document.value());
  }
  return give(std::move(report));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_gpus() {
  return give(pertoken::catalog_gpus_json(active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_models() {
  return give(pertoken::catalog_models_json(active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_scenario_fields() {
  return give(pertoken::scenario_fields_json());
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_efficiency() {
  return give(pertoken::efficiency_json(active_catalog().efficiency));
}

// "calibration" or "holdout": the shipped published measurements, predicted by the active catalog.
EMSCRIPTEN_KEEPALIVE const char* pertoken_validation(const char* set) {
  const bool holdout = std::string_view(set) == "holdout";
  auto rows = pertoken::parse_measurements_csv(holdout ? pertoken::embedded_holdout_csv()
                                                       : pertoken::embedded_measured_csv());
  if (!rows.ok())
    return give(R"({"errors": [{"code": "internal", "path": "", "message": "bad shipped CSV"}]})");
  return give(pertoken::validation_report_json(
      pertoken::validate_measurements(rows.value(), active_catalog()),
      holdout ? "holdout" : "calibration"));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_version() {
  return give(std::string(pertoken::version()));
}

}  // extern "C"
