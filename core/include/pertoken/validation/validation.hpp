// Validation against published measurements: a measurement CSV (columns as
// assets/calibration/measured.csv) -> predicted vs measured per row, and the error summary.
// Pure string processing: the caller reads the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/diagnostics.hpp"

namespace pertoken {

struct Measurement {
  std::string id;
  std::string gpu;
  std::string model;
  int num_gpus = 1;
  int tp = 1;
  int pp = 1;  // optional column; 1 when absent
  int ep = 1;
  // Optional columns of a disaggregated run: its prefill pool (num_gpus, tp and ep are then the
  // decode pool's). 0 when absent: prefill and decode share the GPUs.
  int prefill_gpus = 0;
  int prefill_tp = 0;
  int prefill_ep = 0;
  std::string weights;
  std::string kv_cache;
  int input_tokens = 0;
  int output_tokens = 0;
  std::string concurrency;  // "max", an integer, "N (P prompts)" or "low-load (N req/s)"
  std::string metric;       // a numeric key of the estimate JSON, e.g. output_tokens_per_second
  double value = 0;         // SI units
  std::string assumptions;
  std::string framework;
  std::string source_url;
  // The engine the run used, as a scenario word: an "engine" column, else read from framework
  // (engine_of_framework); "" when neither names one (the scenario's default engine applies).
  std::string engine;
};

// Parses the CSV (RFC 4180 quoting); diagnostics point at "/<row>/<column>" (row 1 = first data
// row). A header without rows is refused: there is nothing to validate or fit.
Result<std::vector<Measurement>> parse_measurements_csv(std::string_view text);

// The scenario JSON a measurement maps to: concurrency "max" stays "max", "low-load (N req/s)"
// becomes request_rate_per_s N, an integer is a fixed concurrency, and "N (P prompts)" is a
// benchmark run of P requests at concurrency N (num_prompts P). A disaggregated run's prefill
// columns become prefill_gpus, prefill_tp and prefill_ep.
std::string measurement_scenario_json(const Measurement& m);

struct ValidationRow {
  Measurement measurement;
  std::optional<double> predicted;  // nullopt: the scenario failed (see error)
  std::string error;
  double percent_error = 0;  // (predicted - measured) / measured x 100
  // Requests in flight in the predicted deployment (the estimate's concurrency); unknown where the
  // prediction was made elsewhere (validate --predictions).
  std::optional<double> requests_in_flight;
};

// A prediction within this many percent of its measurement counts as close (the share_within_25
// figures; the doors mark rows and groups beyond it). The JSON reports carry it as
// close_enough_percent so that no door keeps a copy.
inline constexpr double close_enough_percent = 25.0;

// The summary of a subset of rows (dense, MoE, one engine, one metric, one accelerator).
struct ValidationSummary {
  // "all", "dense", "moe", "engine tensorrt-llm", ..., "ttft", "ttft dense", "ttft moe",
  // "ttft alone", "ttft loaded" (load_class; rows predicted here only), "tpot", "throughput",
  // "accelerator h100-sxm", ...
  std::string name;
  int rows = 0;
  int rows_failed = 0;
  double median_absolute_percent_error = 0;  // a failed row counts as 100%
  double share_within_25_percent = 0;        // 0..1
  // exp(mean ln(predicted speed / measured speed)): > 1 means the model promises more than was
  // measured (throughput too high or a time too low); 1 = no systematic direction.
  double geomean_speed_ratio = 1;
  // Mean of capped_log_error over the rows: the data term the calibration fit minimises.
  double mean_capped_log_error = 0;
  // The distinct sources (source_url) among the rows, and the median of each source's median
  // absolute error: every source weighs the same, so one harness's hundreds of rows cannot
  // carry the figure.
  int sources = 0;
  double source_weighted_median_absolute_percent_error = 0;
};

struct ValidationReport {
  std::vector<ValidationRow> rows;
  std::vector<ValidationSummary> groups;     // all, dense, moe, each engine, ttft (non-empty ones)
  int rows_failed = 0;                       // rows without a prediction (they count as misses)
  double median_absolute_percent_error = 0;  // over all rows; a failed row counts as 100%
  double share_within_25_percent = 0;        // of all rows, 0..1
};

// Splits CSV text into rows of fields, honouring double-quoted fields with "" escapes; blank
// lines are skipped. `unterminated` is set when a quoted field runs to the end.
std::vector<std::vector<std::string>> split_csv(std::string_view text, bool& unterminated);

// The published measurements shipped in assets/calibration: the calibration set the efficiency
// factors were chosen on, and a holdout set gathered separately to check them.
std::string_view embedded_measured_csv();
std::string_view embedded_holdout_csv();
std::string_view embedded_moe_calibration_csv();
std::string_view embedded_moe_holdout_csv();

// The files a shipped set is made of (see shipped_measurements_csv for the names), as paths from
// the project root in the order they join; empty for another name. The web page fetches them
// (site/dist holds assets/calibration/ at calibration/) rather than its module carrying them.
std::vector<std::string_view> measurement_set_files(std::string_view set);

// A set's files joined into one CSV text, in measurement_set_files' order: the files share one
// header, and the first file's is kept.
std::string join_measurement_csvs(const std::vector<std::string_view>& texts);

// A shipped set by name, as one CSV text: "calibration" (dense + MoE calibration rows, what the
// factors are fitted on), "holdout" (dense + MoE holdout), "dense", "dense-holdout", "moe",
// "moe-holdout"; nullopt for another name. `description` receives the files it holds.
std::optional<std::string> shipped_measurements_csv(std::string_view set,
                                                    std::string* description = nullptr);

ValidationReport validate_measurements(const std::vector<Measurement>& measurements,
                                       const Catalog& catalog);

// What one row adds to the calibration fit's loss: |ln(predicted / measured)| capped at 1 (a
// factor of e), and 1 for a row without a positive prediction. The fit (calibration.cpp) and
// every summary share this one rule.
double capped_log_error(std::optional<double> predicted, double measured);

// A prediction made elsewhere for one row (cross-validation: by a fit that never saw the row's
// source); nullopt: that fit gave none.
struct GivenPrediction {
  std::string id;
  std::optional<double> predicted;
};

// Parses a CSV of `id,predicted` rows (a header line first; the column names are free, as in
// assets/calibration/cross_validated.csv); an empty prediction is none. Diagnostics point at
// "/<row>/<column>" (row 1 = first data row).
Result<std::vector<GivenPrediction>> parse_predictions_csv(std::string_view text);

// validate_measurements' report with each row's prediction taken from `predictions` instead of
// the model: the same subsets and summaries. A row without an entry has no prediction; an entry
// naming no row, or a row named twice, is an error at that entry.
Result<ValidationReport> validation_report_from_predictions(
    const std::vector<Measurement>& measurements, const std::vector<GivenPrediction>& predictions,
    const Catalog& catalog);

}  // namespace pertoken
