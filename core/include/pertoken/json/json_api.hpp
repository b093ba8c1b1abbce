// JSON views of the core for every front end (CLI --format json, the WebAssembly door, the app):
// the catalog, catalog checking, the scenario form's fields, validation reports, efficiency.
// One implementation, so the CLI and the web page print the same shapes.
#pragma once

#include <string>
#include <string_view>

#include <span>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/validation/validation.hpp"

namespace pertoken {

// Arrays of catalog entries in SI units, each with its "sources" keyed by JSON pointer.
std::string catalog_gpus_json(const Catalog& catalog);
std::string catalog_models_json(const Catalog& catalog);
// The catalog's names only, for pickers that must appear before the full entries (and their
// sources) are built: {"models": [{"id", "name", "family"}], "gpus": [{"id", "name", "vendor"}]}.
std::string catalog_names_json(const Catalog& catalog);
std::string catalog_names_json(const CatalogNames& names);

// {"ok": true, "gpus": N, "models": M, "efficiency": bool, "unsourced": K}
// (summarize_catalog_document: K figures lack a source URL, an as_of date or both, each counted
// once) or
// {"errors": [{"code", "path", "message"}...]} for a catalog document.
std::string check_catalog_json(std::string_view catalog_text);

// A front end's catalog in use: `text` (a catalog document) checked and, when valid, laid over
// `base` into `active`; an empty `text` restores `base`. Returns check_catalog_json's object (or
// {"ok": true, "reset": true}).
std::string apply_catalog_json(std::string_view text, const Catalog& base, Catalog& active);

// The scenario field table (fields.hpp) as JSON: key, type, default (a literal, or null when a
// rule derives it), default_rule (in words), unit, meaning, flag, min/max, values, alias.
std::string scenario_fields_json();
// Any field table in that shape (the planner's has the same columns).
std::string fields_json(std::span<const ScenarioField> fields);

// The scenario JSON Schema (draft 2020-12), generated from the same table.
std::string scenario_schema_json();

// A validation report: {"set", "rows", "rows_failed", "median_absolute_percent_error",
// "share_within_25_percent", "results": [{"id", "gpu", "model", "metric", "measured",
// "predicted", "percent_error", "error", "source_url", ...}]}.
std::string validation_report_json(const ValidationReport& report, std::string_view set_name);

// The efficiency factors in use: [{"name", "value", "meaning"}].
std::string efficiency_json(const EfficiencyFactors& efficiency);

// How the factors were chosen: {"priors": [the physical priors as efficiency_json lists them],
// "fitted": [names of the factors the calibration fits; the others keep their prior]}.
std::string efficiency_method_json();

// The files a shipped measurement set ("calibration", "holdout", ...) is made of, as paths from
// the project root: ["assets/calibration/measured.csv", ...]; [] for another name.
std::string measurement_set_files_json(std::string_view set_name);

// A shipped measurement set predicted with `catalog`, from its files' texts (a JSON array in
// measurement_set_files_json's order): the web page fetches the files, so the module that
// validates them need not carry them. A report as validation_report_json gives, or {"errors"}
// naming what is wrong (an unknown set is "/set").
std::string validation_json_from_files(std::string_view set_name, std::string_view texts_json,
                                       const Catalog& catalog);

}  // namespace pertoken
