// The app's state: the catalog in use, the scenario and plan documents the user edits, and the
// core's answers for them (result, sweeps, plan) as the core's JSON. Translates only: every rule
// is asked of the core through the same JSON doors the CLI and the web page use. No ImGui, no
// platform, no files (files.hpp reads them).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/text/why_words.hpp"

namespace pertoken::app {

// One problem the core found, as its JSON lists them: a JSON path and a message.
struct Problem {
  std::string code;
  std::string path;  // JSON pointer ("/tp", "/gpus/3/memory_gib"), or "" for the whole document
  std::string message;
};

// The four sweeps the calculator charts, in the order it shows them.
inline constexpr std::array<SweepKind, 4> chart_sweeps = {SweepKind::batching, SweepKind::gpus,
                                                          SweepKind::memory, SweepKind::context};

class Model {
 public:
  Model();

  // --- The scenario document: the keys the user set (the core fills the rest) ---
  const nlohmann::json& scenario() const { return scenario_; }
  // Sets a key; drops the key it is an alternative to (the core's alternative_of).
  void set(std::string_view key, nlohmann::json value);
  // Removes a key: the core's default applies again.
  void unset(std::string_view key);
  // Replaces the document with `text` when it is a JSON object; otherwise the problems say why and
  // the document is kept. Unknown ids or keys in a good object are the core's to report (errors()).
  std::vector<Problem> load_scenario(std::string_view text);
  std::string scenario_text() const;  // pretty JSON, the CLI's --scenario format

  // --- The catalog in use ---
  // Checks `text` with the core (apply_catalog_json): a valid document extends the built-in
  // catalog; an invalid one leaves the catalog in use as it was. Returns the problems.
  std::vector<Problem> load_catalog(std::string_view text);
  // Back to the built-in catalog (imported models too).
  void reset_catalog();
  // Imports a Hugging Face config.json (the core's importer, import_model_json) into the catalog
  // in use: the model is laid over it and stays over later catalog files. `id` and `name` "" for
  // the importer's own. Problems name the config key; with problems nothing changes. On success
  // `imported_id` (when given) is the model's id.
  std::vector<Problem> import_model(std::string_view config_text, std::string_view id = "",
                                    std::string_view name = "", std::string* imported_id = nullptr);
  const Catalog& catalog() const { return catalog_; }
  bool custom_catalog() const { return custom_catalog_; }
  // catalog_gpus_json / catalog_models_json, parsed (sources keyed by JSON pointer).
  const nlohmann::json& gpus() const { return gpus_; }
  const nlohmann::json& models() const { return models_; }
  const nlohmann::json* gpu_entry(std::string_view id) const;

  // --- The core's answers ---
  // Evaluates the scenario (result, defaults and the quick sweeps). The accelerator comparison
  // runs a layout search per accelerator: evaluate_gpus() runs it, and the UI calls it once edits
  // pause. Keeps the last good result when the document has errors.
  void evaluate();
  void evaluate_gpus();
  bool gpus_stale() const { return gpus_stale_; }

  // Problems with the current document (empty when the result on screen is its result).
  const std::vector<Problem>& errors() const { return errors_; }
  // The last good result, the core's result JSON (null before the first).
  const nlohmann::json& result() const { return result_; }
  const std::string& result_text() const { return result_text_; }
  // The last good result's "Why this number", in the core's words.
  const std::vector<WhySection>& why() const { return why_; }
  // What each field takes when left out, for the current document (scenario_defaults_json).
  const nlohmann::json& defaults() const { return defaults_; }
  // The sweep JSON of a kind, as `pertoken sweep KIND --format json` prints it.
  const nlohmann::json& sweep(SweepKind kind) const;
  const std::string& sweep_text(SweepKind kind) const;

  // The result as the CLI's CSV, and a sweep as its CSV, for the last good scenario ("" if none).
  std::string result_csv() const;
  std::string sweep_csv(SweepKind kind) const;

  // --- The planner ---
  const nlohmann::json& plan_request() const { return plan_request_; }
  void set_plan(std::string_view key, nlohmann::json value);
  void unset_plan(std::string_view key);
  // The request sent to the core: the scenario's model and workload with the plan's own keys.
  std::string plan_request_text() const;
  void evaluate_plan();
  const nlohmann::json& plan() const { return plan_; }
  const std::vector<Problem>& plan_errors() const { return plan_errors_; }

 private:
  static std::vector<Problem> problems_of(const nlohmann::json& answer);
  void refresh_catalog_views();

  Catalog catalog_;
  bool custom_catalog_ = false;
  std::string imported_models_;  // the catalog document of imported models ("" for none)
  nlohmann::json gpus_ = nlohmann::json::array();
  nlohmann::json models_ = nlohmann::json::array();

  nlohmann::json scenario_ = nlohmann::json::object();
  std::string good_scenario_text_;  // the document the result on screen came from
  nlohmann::json result_;
  std::string result_text_;
  std::vector<WhySection> why_;
  nlohmann::json defaults_ = nlohmann::json::object();
  std::vector<Problem> errors_;
  std::array<nlohmann::json, 4> sweeps_;
  std::array<std::string, 4> sweep_texts_;
  bool gpus_stale_ = true;

  nlohmann::json plan_request_ = nlohmann::json::object();
  nlohmann::json plan_;
  std::vector<Problem> plan_errors_;
};

// Today's date as YYYY-MM-DD (UTC), from the system clock: estimates note prices older than their
// age rule against it, as the CLI's do.
std::string today_iso_date();

// The result JSON for a scenario document exactly as `pertoken estimate --scenario FILE --format
// json` prints it (with the built-in catalog and its prices), and whether it is a result (false:
// the text is {"errors": [...]}).
std::string evaluate_for_print(std::string_view scenario_text, bool& ok);
// The same with `catalog` (after --catalog and --import-model), as `pertoken estimate --catalog`.
std::string evaluate_for_print(std::string_view scenario_text, const Catalog& catalog, bool& ok);

}  // namespace pertoken::app
