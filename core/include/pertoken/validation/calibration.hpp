// Calibration: fit the efficiency factors to published or the user's own measurements.
// Pure computation; the CLI reads the CSV and writes the resulting catalog overlay.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/diagnostics.hpp"
#include "pertoken/validation/validation.hpp"

namespace pertoken {

struct CalibrationOptions {
  EfficiencyFactors start;         // where the search starts
  EfficiencyFactors prior_center;  // what the weak penalty pulls toward
  double prior_weight = 0.05;      // 0: fit the data alone
  int max_iterations = 1500;       // Nelder-Mead iterations per round
  // Fresh simplexes around the best point after the first round. From the priors on the
  // calibration set (2026-12-02) the loss reached 0.3774 with 2, 0.3742 with 8, 0.3739 with 16
  // and the same with 40.
  int restarts = 16;
  // Searches from `start` and starts - 1 points scattered around it (each factor moved by up to
  // its prior spread); the lowest loss wins. More starts reach lower losses on the calibration set
  // (8: 0.3544 against 0.3739) but predict unseen sources worse (README, "A search that finds a
  // lower loss"), so the shipped fit uses one.
  int starts = 1;
  // Factors kept at their `start` values, by the names fitted_efficiency_names() gives: a user
  // with a handful of rows fits the few factors those rows can tell apart, and a staged fit
  // frees only the factors its second stage is for. Empty: every factor is fitted.
  std::vector<std::string> held;
  // A staged fit. The first search runs with these factors (any efficiency field, by name) at
  // these values instead of their `start` ones, held (a mechanism left out, so that the first stage
  // fits the model without it). Without a second stage they keep these values in the result.
  std::vector<std::pair<std::string, double>> first_stage_values;
  // A second search, from the first's result with the factors above back at their `start`
  // values, moving these factors alone and pulled toward the first stage's values (one start).
  // Empty: one stage.
  std::vector<std::string> then_fit;
};

// The documented fit that produced the shipped factors (README, "How good is it"): from the
// physical priors, in two stages. The first fits every factor with two MoE mechanisms left out:
// the MLA layers' extra fixed costs (mla_layer_overhead_ratio 1) and each expert's padding to the
// grouped GEMM's tile (grouped_gemm_tile_rows 1); the second puts them in at their priors and
// refits only the factors no dense row identifies: those that only MoE or MLA layers use, and the
// multipliers of engine profiles fitted on fewer than min_dense_runs_fitted_on dense runs. So
// the MoE rows cannot drag the factors dense runs pin down toward what a missing MoE mechanism
// would explain.
CalibrationOptions documented_calibration_options();

// A calibration as a door takes it from the user, by name (the CLI's --from-priors,
// --prior-weight, --starts, --fit, --hold and --then-fit).
struct CalibrationRequest {
  bool from_priors = false;
  std::optional<double> prior_weight;
  std::optional<int> starts;
  std::optional<std::vector<std::string>> fit;       // these factors alone are fitted
  std::optional<std::vector<std::string>> hold;      // these keep their start values
  std::optional<std::vector<std::string>> then_fit;  // a second stage moves these alone
};

// The options a request means. From the priors: the documented fit, whose stages a fit, hold
// or then_fit list replaces (the user's lists are the whole plan); otherwise the search starts
// from and is pulled toward `catalog_efficiency`. Refused, with the list's key as the path
// ("/fit", "/hold", "/then_fit", "/prior_weight", "/starts"): a name that is not a fitted factor
// (the message lists them), fit and hold together, a weight or start count calibrate() rejects.
Result<CalibrationOptions> calibration_options(const CalibrationRequest& request,
                                               const EfficiencyFactors& catalog_efficiency);

// The factors the documented fit moves: fitted_efficiency_names() less those it holds at their
// prior in every stage (mla_layer_overhead_ratio, a guess).
std::vector<std::string> documented_fit_moves();

inline constexpr long max_calibration_starts = 64;
// A start count calibrate() accepts: 1 to max_calibration_starts.
bool valid_calibration_starts(long starts);

struct CalibrationResult {
  EfficiencyFactors fitted;
  ValidationReport before;  // with options.start
  ValidationReport after;   // with fitted
  double loss_before = 0;   // mean |ln(predicted / measured)| (+ prior penalty), at the first
                            // stage's start
  double loss_after = 0;    // the same, as the last stage's search measures it
  int evaluations = 0;
};

// The first name of `names` that is not a fitted factor (fitted_efficiency_names()), if any.
std::optional<std::string> unknown_fitted_name(const std::vector<std::string>& names);

// The held list that fits `fitted` alone: every fitted factor not named in it.
std::vector<std::string> held_all_but(const std::vector<std::string>& fitted);

// A prior weight calibrate() accepts: finite and >= 0 (0 fits the data alone).
bool valid_prior_weight(double weight);

// The factors calibrate() fits (the others keep their values): their JSON names.
std::vector<std::string> fitted_efficiency_names();

// One metric of an estimate by its result-JSON key (e.g. "ttft_seconds"); nullopt if unknown.
std::optional<double> estimate_metric(const struct Estimate& estimate, std::string_view key);

// Minimises the mean absolute log error of `measurements` under `catalog` (whose gpus and models
// the rows name) over the fitted factors (all but options.held, whose names must be known), by
// Nelder-Mead in a bounded, log-scaled space.
CalibrationResult calibrate(const std::vector<Measurement>& measurements, const Catalog& catalog,
                            const CalibrationOptions& options);

// {"efficiency": {name: value, ...}}: a catalog overlay holding the fitted factors.
std::string efficiency_overlay_json(const EfficiencyFactors& factors);

}  // namespace pertoken
