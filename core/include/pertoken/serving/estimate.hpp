// The serving model's answer for one scenario: memory, latency, throughput, cost, energy.
// Pure computation over plain structs; every formula is documented where it is implemented.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pertoken/model/efficiency.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/result.hpp"

namespace pertoken {

Estimate estimate(const Scenario& scenario, const EfficiencyFactors& efficiency);

// The note of every MoE estimate with attention data-parallel ranks and expert parallelism
// ("DEP"): no calibration run uses that layout (all the published ones gathered are held out), and
// on those held-out runs the model errs by about a third, either way. A test holds both claims to
// the shipped files.
inline constexpr std::string_view attention_dp_caveat =
    "attention data-parallel ranks with expert parallelism: no published run the efficiency "
    "factors were fitted on uses this layout (every one gathered is held out to check the model), "
    "and on those runs the model's median error is about a third, in either direction: treat "
    "these figures as rougher than other layouts'";

// How loaded the engine is as a request meets it: "alone" when the deployment holds at most one
// request in flight, else "loaded". Time to first token is validated and banded apart by it:
// alone, nothing waits ahead of a prompt and the model has been close; under load, published runs
// have measured it at several times the prediction.
std::string_view load_class(double requests_in_flight);

// A model's family as validation groups and residual bands name it: "moe" or "dense" (the
// catalog's MoE flag). Time to first token is judged and banded apart by it.
std::string_view model_family(const ModelSpec& model);

// The residual bands (P10 and P90 of measured / predicted, and the rows, by regime key) from the
// shipped measurements, as JSON {"key": [p10, p90, rows]}: what assets/calibration/bands.json,
// which the web module uses instead of recomputing them, must hold.
std::string residual_bands_json();

// estimate() plus its uncertainty bands (what every front end shows); where the deployment does
// not fit for memory, the fewest devices that would hold it instead.
Estimate estimate_with_uncertainty(const Scenario& scenario, const EfficiencyFactors& efficiency);

// The sentences that say which of a banded estimate's ranges run one way from it (its regime's
// published runs on one side of the model at P10 and P90 alike, so the estimate is an end of the
// range), added to `notes`: estimate_with_uncertainty adds them to its own, and a door that
// repeats them (the planner) to its. `banded` holds the regimes estimate_with_uncertainty found
// for `scenario`.
void add_one_way_band_notes(const Scenario& scenario, const Estimate& banded,
                            std::vector<std::string>& notes);

// The slow end of an estimate's likely range: its time to first token and time per output token at
// the P90 of measured / predicted over its regime's published runs, its requests a second at the
// P10 of its throughput regime's (the bands' regimes, as estimate_with_uncertainty finds them),
// and never on the fast side of the estimate itself. What a planner reads a latency target
// against, or sizes a fleet by, when it asks for them to hold at the likely worst.
struct SlowEnd {
  double ttft_s = 0;
  double tpot_s = 0;
  double tokens_per_s_per_user = 0;  // the inverse of tpot_s, as the estimate's own
  double requests_per_s = 0;
};
SlowEnd slow_end(const Scenario& scenario, const Estimate& estimate);

// The result JSON of `pertoken estimate --format json` (SI units; see README for the keys).
std::string estimate_to_json(const Scenario& scenario, const Estimate& estimate);

// The same as one CSV table: a header row and a value row of the result's scalar keys
// (scenario.* and the breakdowns' prefill.* and decode_step.* included).
std::string estimate_to_csv(const Scenario& scenario, const Estimate& estimate);

// The one door every front end uses: scenario JSON in, result JSON out. On bad input the object
// is {"errors": [{"code", "path", "message"}...]} instead.
std::string evaluate_scenario_json(std::string_view scenario_json, const Catalog& catalog);
// The same, with today's date ("YYYY-MM-DD", from the caller's clock: the core has none): the
// notes also say when the price the estimate uses is older than its age rule (staleness.hpp).
std::string evaluate_scenario_json(std::string_view scenario_json, const Catalog& catalog,
                                   std::string_view today_iso_date);
// The same without the uncertainty bands ("uncertainty" and "uncertainty_basis" null): the first
// call of the full one estimates every shipped measurement to build them, which a page's first
// view need not wait for (it shows the bands a moment later).
std::string evaluate_scenario_point_json(std::string_view scenario_json, const Catalog& catalog,
                                         std::string_view today_iso_date);

}  // namespace pertoken
