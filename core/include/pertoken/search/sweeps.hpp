// Sweeps: one scenario evaluated along one axis, giving exactly the series the charts draw and
// `pertoken sweep` prints: the batching trade-off and memory against concurrency (from 1 to the
// most requests that fit), time to first token and cost against prompt length, and every catalog
// accelerator at its cheapest layout (the layout search).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/economics/payment.hpp"
#include "pertoken/scenario/fields.hpp"
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
  std::string price_source;  // gpus: the offer the price came from ("Lambda", "catalog")
};

struct Sweep {
  SweepKind kind = SweepKind::batching;
  std::string x_key;    // the scenario key along the axis (concurrency, input_tokens, gpu)
  std::string x_label;  // for axes and table headers
  std::string x_unit;
  std::optional<double> marker;  // x of the scenario itself, when on the axis
  std::vector<SweepPoint> points;
  std::string empty;  // why there is nothing to plot, or ""
  // gpus only: the price basis (a lens, or "catalog reference prices"), the floor it used and
  // the largest instance its layout search considered.
  std::string price_basis;
  double min_tokens_per_s_per_user = 0;
  int max_devices = 0;
};

// How the accelerator comparison prices and paces its accelerators. Its fields are also keys a
// sweep request may carry beside the scenario's (comparison_fields()).
inline constexpr double default_interactivity_floor_tokens_per_s = 20;
struct ComparisonOptions {
  // max_devices, and the interactivity floor every accelerator is ranked at (a reader of a chat
  // answer needs ~20 tokens/s; 0 ranks at concurrency max, whatever each user gets).
  LayoutSearchOptions layout{128, default_interactivity_floor_tokens_per_s};
  // One price basis for every accelerator, the user's own included: the lowest offer under this
  // lens in the catalog's prices (the CLI and the planner carry them; the calculator's web page
  // loads them after its first answer). An accelerator with no offer under the lens has no cost
  // (never another basis's). By default the planner's basis (default_pricing_lens()).
  std::optional<PricingLens> pricing = default_pricing_lens();
  // "reference" given: each accelerator's catalog reference price, the scenario's own at the
  // scenario's price (the sweep says these sources differ).
  bool reference_prices = false;
};

// The comparison's own keys (min_tokens_per_second_per_user, pricing, max_devices), with the
// columns of the scenario field table: CLI flags of `sweep gpus`, and keys the door accepts.
std::span<const ScenarioField> comparison_fields();
const ScenarioField* find_comparison_flag(std::string_view flag);

// Whole numbers from min to max, about `count` of them evenly spaced on a log scale, plus those
// of `extras` within [min, max]; sorted, without repeats.
std::vector<int> log_steps(int min, int max, int count, const std::vector<int>& extras = {});

// The scenario along concurrency (batching and memory), prompt length (context), or the catalog's
// accelerators at their cheapest layout at the comparison's floor and price basis (gpus; with
// catalog reference prices the scenario's own accelerator keeps the scenario's price).
Sweep run_sweep(SweepKind kind, const Scenario& base, const Catalog& catalog,
                const ComparisonOptions& options = {});

// {"sweep", "x": {"key", "label", "unit"}, "marker", "empty", "points": [{"x", "gpu", "num_gpus",
// "tp", "pp", "ep", "usd_per_gpu_hour", "ran", "problem", "fits", "limit_reason", the result
// JSON's headline keys (null where the result JSON has null), "memory": {...}, and for gpus
// "status", "reason", "candidates", "selected"}]}.
std::string sweep_to_json(const Sweep& sweep, const Catalog& catalog);

// The same as one CSV table: a header row and a row per point (the flat keys of the JSON).
std::string sweep_to_csv(const Sweep& sweep, const Catalog& catalog);

// A sweep request: a scenario document that may also carry the comparison's keys.
struct SweepRequest {
  Scenario scenario;
  ComparisonOptions options;
};
Result<SweepRequest> parse_sweep_request(std::string_view json_text, const Catalog& catalog);

// Scenario JSON in (plus the comparison's keys, for gpus), sweep JSON out (or {"errors": [...]}
// as evaluate_scenario_json gives).
std::string evaluate_sweep_json(std::string_view kind, std::string_view scenario_json,
                                const Catalog& catalog);

}  // namespace pertoken
