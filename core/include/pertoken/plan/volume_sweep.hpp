// Cost against daily volume: the planner's answer at a ladder of volumes around the request's own
// (each volume planned afresh, so the configuration may change with it), every way to pay at each,
// the serverless APIs' prices (flat in volume) and the break-even volumes where self-hosting
// becomes cheaper. The planner page's cost-against-volume chart and `pertoken sweep volume`.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/plan/planner.hpp"

namespace pertoken {

// The volumes drawn, as multiples of the request's own tokens a day: two decades either side,
// two steps a decade (1, 3, 10...), so break-even points a decade away still fall on the chart.
inline constexpr std::array<double, 9> volume_sweep_multiples = {0.01, 0.03, 0.1, 0.3, 1,
                                                                 3,    10,   30,  100};

struct VolumeSweepPoint {
  double tokens_per_day = 0;
  double multiple = 1;  // of the request's own volume
  bool meets_sla = false;
  // Nothing is listed because this volume needs more replicas than the planner sizes.
  bool beyond_replica_limit = false;
  std::optional<PlanOption> best;  // the configuration the plan chose at this volume
  // The whole deployment's month at the request's lens (when the SLA is met).
  int replicas = 0;
  int gpus_total = 0;
  double usd_per_month = 0;
  double usd_per_million_tokens = 0;
  std::vector<Bill> bill;  // that configuration under every way to pay
};

struct VolumeSweep {
  PricingLens lens;           // the basis the search ranks by
  double tokens_per_day = 0;  // the request's own volume (the chart's marker)
  std::vector<VolumeSweepPoint> points;
  // Per API provider: its $ per million tokens at the request's input/output mix and the
  // break-even volumes per lens: the lowest daily volume at which a fleet of any configuration the
  // sweep planned (the best at each of its volumes) costs no more than the API; nullopt where none
  // does.
  std::vector<ApiQuote> api;
  std::vector<std::string> notes;
};

// Plans `request` at each multiple of its daily volume (top 1; a request given in requests a
// second or audio hours is turned into tokens a day first). `own`: the request's own plan when
// the caller has it already (the multiple 1 reuses it).
VolumeSweep volume_sweep(const PlanRequest& request, const Catalog& catalog,
                         const Plan* own = nullptr);

// {"sweep": "volume", "pricing", "tokens_per_day", "x": {"key", "label", "unit"}, "points":
// [{"tokens_per_day", "multiple", "meets_sla", "replicas", "gpus_total", "usd_per_month",
// "usd_per_million_tokens" (null where nothing meets the SLA), "beyond_replica_limit" (true where
// the volume, not the SLA, leaves nothing to list), "best_detail" (as the plan's),
// "usd_per_million_tokens_by_pricing": {lens: value or null}}], "api": [{"provider",
// "usd_per_million_tokens", "break_even_tokens_per_day" (at the request's lens),
// "break_even_tokens_per_day_by_pricing"}], "notes"}.
std::string volume_sweep_to_json(const VolumeSweep& sweep);

// One CSV row per volume: tokens_per_day, multiple, meets_sla, replicas, gpus_total,
// usd_per_month, usd_per_million_tokens, then one column per lens and per API provider.
std::string volume_sweep_to_csv(const VolumeSweep& sweep);

// Plan request JSON in (as evaluate_plan_json), volume sweep JSON out (or {"errors": [...]}).
std::string evaluate_volume_sweep_json(std::string_view request_json, const Catalog& catalog);

}  // namespace pertoken
