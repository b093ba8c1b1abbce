// Sweeps: one scenario evaluated along one axis, giving exactly the series the charts draw and
// `pertoken sweep` prints: the batching trade-off and memory against concurrency (from 1 to the
// most requests that fit), time to first token and cost against prompt length, and every catalog
// accelerator at its cheapest layout (the layout search).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/search/layout_search.hpp"
#include "pertoken/serving/result.hpp"

namespace pertoken {

enum class SweepKind { batching, memory, context, gpus };
std::string_view to_string(SweepKind kind);
std::optional<SweepKind> parse_sweep_kind(std::string_view name);

// How an accelerator of the comparison came out.
enum class LayoutStatus { fits, does_not_fit, unknown };
std::string_view to_string(LayoutStatus status);

struct SweepPoint {
  double x = 0;     // concurrency, input tokens, or the position in the ranking
  std::string gpu;  // accelerator id
  Layout layout;    // num_gpus, tp, pp, ep the point ran with
  std::optional<double> usd_per_gpu_hour;
  std::optional<Estimate> result;  // nullopt: the point did not run (problem says why)
  std::string problem;             // "/path: message" when it did not run, else ""
  // gpus sweep only: the search's verdict, why nothing fits (or cannot be estimated), how many
  // layouts it considered, and whether this is the accelerator the scenario names.
  LayoutStatus status = LayoutStatus::fits;
  std::string reason;
  int candidates = 0;
  bool selected = false;
};

struct Sweep {
  SweepKind kind = SweepKind::batching;
  std::string x_key;    // the scenario key along the axis (concurrency, input_tokens, gpu)
  std::string x_label;  // for axes and table headers
  std::string x_unit;
  std::optional<double> marker;  // x of the scenario itself, when on the axis
  std::vector<SweepPoint> points;
  std::string empty;  // why there is nothing to plot, or ""
};

// Whole numbers from min to max, about `count` of them evenly spaced on a log scale, plus those
// of `extras` within [min, max]; sorted, without repeats.
std::vector<int> log_steps(int min, int max, int count, const std::vector<int>& extras = {});

// The scenario along concurrency (batching and memory), prompt length (context), or the catalog's
// accelerators at their cheapest layout (gpus; the scenario's own accelerator keeps its price,
// every other one takes its catalog reference price).
Sweep run_sweep(SweepKind kind, const Scenario& base, const Catalog& catalog,
                const LayoutSearchOptions& options = {});

// {"sweep", "x": {"key", "label", "unit"}, "marker", "empty", "points": [{"x", "gpu", "num_gpus",
// "tp", "pp", "ep", "usd_per_gpu_hour", "ran", "problem", "fits", "limit_reason", the result
// JSON's headline keys (null where the result JSON has null), "memory": {...}, and for gpus
// "status", "reason", "candidates", "selected"}]}.
std::string sweep_to_json(const Sweep& sweep, const Catalog& catalog);

// The same as one CSV table: a header row and a row per point (the flat keys of the JSON).
std::string sweep_to_csv(const Sweep& sweep, const Catalog& catalog);

// Scenario JSON in, sweep JSON out (or {"errors": [...]} as evaluate_scenario_json gives).
std::string evaluate_sweep_json(std::string_view kind, std::string_view scenario_json,
                                const Catalog& catalog);

}  // namespace pertoken
