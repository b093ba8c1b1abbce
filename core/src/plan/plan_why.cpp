// Why the plan's headline comes out as it does (see plan_why.hpp).
#include "pertoken/plan/plan_why.hpp"

#include <algorithm>
#include <cmath>

#include "json/result_figures.hpp"

namespace pertoken {
namespace {

std::optional<std::pair<double, double>> band_of(const Estimate& e, std::string_view output) {
  for (const UncertaintyBand& b : e.uncertainty) {
    if (b.output == output) return std::make_pair(b.low, b.high);
  }
  return std::nullopt;
}

// The planner's sizing rule, as planner.cpp applies it: enough replicas for the peak, at least 1.
int replicas_at(double peak_requests_per_s, double replica_requests_per_s) {
  if (!(replica_requests_per_s > 0)) return 0;
  return static_cast<int>(
      std::max(1.0, std::ceil(peak_requests_per_s / replica_requests_per_s - 1e-9)));
}

}  // namespace

std::optional<PlanWhy> explain_plan(const PlanRequest& r, const Plan& plan) {
  if (!plan.meets_sla || !plan.best || r.deployment.pattern != DeploymentPattern::centralized) {
    return std::nullopt;
  }
  const PlanOption& best = *plan.best;
  PlanWhy w;
  w.tokens_per_day = plan.tokens_per_day;
  w.tokens_per_request = r.base.input_tokens + r.base.output_tokens;
  w.requests_per_s = plan.requests_per_s;
  w.peak_to_average = r.workload.peak_to_average;
  w.peak_requests_per_s = w.requests_per_s * w.peak_to_average;
  w.concurrency = best.scenario.concurrency.value_or(0);
  w.devices_per_replica = best.scenario.num_gpus;
  w.replica_requests_per_s = best.capacity_requests_per_s;
  w.capacity_basis = capacity_basis_words[static_cast<std::size_t>(r.workload.capacity_basis)];
  w.replica_requests_per_s_estimate = best.estimate.requests_per_s;
  w.tokens_per_s_per_user = best.estimate.tokens_per_s_per_user;
  w.replicas = best.replicas;
  w.spare_replicas = best.spare_replicas;
  w.gpus_total = best.gpus_total;
  w.utilization = best.utilization;
  w.usd_per_gpu_hour = best.usd_per_gpu_hour;
  w.price_basis = best.price_basis;
  w.reprefill_share = best.reprefill_share;
  w.hours_per_month = plan_hours_per_month;
  w.usd_per_month = best.usd_per_month;
  w.tokens_per_month = w.tokens_per_day * plan_hours_per_month / 24;
  w.usd_per_million_tokens = best.usd_per_million_tokens;

  const auto throughput = band_of(best.estimate, "requests_per_second");
  if (!throughput || !(w.tokens_per_month > 0)) {
    w.band_basis = "no band: the estimate of this configuration has no residual band";
    return w;
  }
  w.replica_requests_per_s_band = throughput;
  // Fewer requests a second per replica need more replicas: the low end of the cost band is the
  // high end of the throughput band.
  const int fewest = replicas_at(w.peak_requests_per_s, throughput->second);
  const int most = replicas_at(w.peak_requests_per_s, throughput->first);
  w.replicas_band = std::make_pair(fewest, most);
  auto cost = [&](int replicas) {
    return replicas * w.devices_per_replica * w.usd_per_gpu_hour * w.hours_per_month /
           w.tokens_per_month * 1e6;
  };
  w.usd_per_million_tokens_band = std::make_pair(cost(fewest), cost(most));
  w.tokens_per_s_per_user_band = band_of(best.estimate, "tokens_per_second_per_user");
  w.band_basis = "P10-P90 of measured / predicted throughput over " +
                 std::to_string(best.estimate.throughput_regime_rows) +
                 " published measurements of the regime " + best.estimate.throughput_regime +
                 "; the fleet re-sized for the peak at each end";
  return w;
}

std::string plan_why_json(const std::optional<PlanWhy>& why) {
  using detail::OrderedJson;
  if (!why) return "null";
  auto n = [](double v) { return detail::number_json(v); };
  auto band = [&](const std::optional<std::pair<double, double>>& b) {
    return b ? OrderedJson::array({n(b->first), n(b->second)}) : OrderedJson(nullptr);
  };
  const PlanWhy& w = *why;
  OrderedJson j;
  j["tokens_per_day"] = n(w.tokens_per_day);
  j["tokens_per_request"] = n(w.tokens_per_request);
  j["requests_per_second"] = n(w.requests_per_s);
  j["peak_to_average"] = n(w.peak_to_average);
  j["peak_requests_per_second"] = n(w.peak_requests_per_s);
  j["concurrency"] = w.concurrency;
  j["devices_per_replica"] = w.devices_per_replica;
  j["replica_requests_per_second"] = n(w.replica_requests_per_s);
  j["capacity_basis"] = w.capacity_basis;
  j["replica_requests_per_second_estimate"] = n(w.replica_requests_per_s_estimate);
  j["tokens_per_second_per_user"] = n(w.tokens_per_s_per_user);
  j["replicas"] = w.replicas;
  j["spare_replicas"] = w.spare_replicas;
  j["gpus_total"] = w.gpus_total;
  j["utilization"] = n(w.utilization);
  j["usd_per_gpu_hour"] = n(w.usd_per_gpu_hour);
  j["price_basis"] = w.price_basis;
  j["reprefill_share"] = n(w.reprefill_share);
  j["hours_per_month"] = n(w.hours_per_month);
  j["usd_per_month"] = n(w.usd_per_month);
  j["tokens_per_month"] = n(w.tokens_per_month);
  j["usd_per_million_tokens"] = n(w.usd_per_million_tokens);
  j["replica_requests_per_second_band"] = band(w.replica_requests_per_s_band);
  j["replicas_band"] = band(w.replicas_band);
  j["usd_per_million_tokens_band"] = band(w.usd_per_million_tokens_band);
  j["tokens_per_second_per_user_band"] = band(w.tokens_per_s_per_user_band);
  j["band_basis"] = w.band_basis;
  return detail::dump_json(j);
}

}  // namespace pertoken
