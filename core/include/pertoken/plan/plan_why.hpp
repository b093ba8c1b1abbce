// Why the plan's headline comes out as it does: the fleet from the peak traffic and one
// replica's throughput at the SLA's concurrency, the month from the price basis, $ per million
// tokens as the month's bill over the month's tokens; and the P10-P90 band of the headline from
// the residual bands of the replica's estimate (the fleet re-sized at each end of its throughput
// band). The planner page's why-panel and bands, and `pertoken plan --format json`'s "why".
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "pertoken/plan/planner.hpp"

namespace pertoken {

struct PlanWhy {
  // Traffic.
  double tokens_per_day = 0;
  double tokens_per_request = 0;  // input + output
  double requests_per_s = 0;      // average
  double peak_to_average = 1;
  double peak_requests_per_s = 0;
  // One replica at the SLA's concurrency.
  int concurrency = 0;
  int devices_per_replica = 0;
  double replica_requests_per_s = 0;  // what the fleet is sized at (the capacity basis)
  std::string capacity_basis;         // "estimate", or "p10": the low end of the likely range
  double replica_requests_per_s_estimate = 0;  // the point estimate, whichever the basis
  double tokens_per_s_per_user = 0;
  // The fleet: replicas = ceil(peak / one replica's requests a second), at least 1.
  int replicas = 0;
  int spare_replicas = 0;  // spot: held beside them for interruptions
  int gpus_total = 0;      // (replicas + spare_replicas) x devices_per_replica
  double utilization = 0;
  // The month: GPUs x $/GPU-hour x hours (x 1 + reprefill_share on spot, for re-prefilling the
  // requests interrupted instances were serving); $ per million tokens = month / tokens a month x
  // 1e6.
  double usd_per_gpu_hour = 0;
  std::string price_basis;
  double reprefill_share = 0;
  double hours_per_month = 0;
  double usd_per_month = 0;
  double tokens_per_month = 0;
  double usd_per_million_tokens = 0;
  // P10-P90 (low, high) where the replica's estimate has residual bands.
  std::optional<std::pair<double, double>> replica_requests_per_s_band;
  std::optional<std::pair<double, double>> replicas_band;  // at the high and low throughput
  std::optional<std::pair<double, double>> usd_per_million_tokens_band;
  std::optional<std::pair<double, double>> tokens_per_s_per_user_band;
  std::string band_basis;  // the estimate's regime and rows, or why there is no band
};

// The plan's best (centralized) configuration explained, its bands from the best's estimate
// (make_plan fills its uncertainty); nullopt when nothing meets the SLA or the deployment has
// several pools (their parts list each pool's fleet).
std::optional<PlanWhy> explain_plan(const PlanRequest& request, const Plan& plan);

// As a JSON object (the plan JSON's "why"; null for nullopt): the fields above, spelled out, each
// band as [low, high] or null.
std::string plan_why_json(const std::optional<PlanWhy>& why);

}  // namespace pertoken
