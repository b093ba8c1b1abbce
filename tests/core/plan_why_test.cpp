// Why the plan's headline comes out as it does: replicas from the peak and one replica's
// throughput, the month from the price, $ per million tokens from the month and its tokens; and
// the headline's P10-P90 band from the replica's throughput band. Figures derived by hand.
#include <cmath>
#include <optional>

#include <catch2/catch.hpp>

#include "pertoken/plan/plan_json.hpp"
#include "pertoken/plan/plan_why.hpp"
#include "pertoken/plan/planner.hpp"
#include "plan_fixture.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

Catalog why_catalog() { return one_accelerator_catalog(specialist_offer(2.0)); }

PlanRequest why_request(const Catalog& c, double tokens_per_day) {
  return one_accelerator_request(c, tokens_per_day);
}

TEST_CASE("plan why: the headline from traffic, one replica's throughput and the price",
          "[plan][why]") {
  const Catalog c = why_catalog();
  // 1.2e10 tokens a day of 1,200-token requests: 1e7 requests a day = 115.74 a second on average,
  // 231.48 at the peak (2x).
  const PlanRequest r = why_request(c, 1.2e10);
  const Plan plan = make_plan(r, c);
  REQUIRE(plan.best.has_value());
  const std::optional<PlanWhy> why = explain_plan(r, plan);
  REQUIRE(why.has_value());
  CHECK(why->tokens_per_request == 1200);
  CHECK(why->requests_per_s == Approx(1e7 / 86400.0));
  CHECK(why->peak_requests_per_s == Approx(2e7 / 86400.0));
  // One replica's requests a second (the performance model's, an input here): the replicas are
  // the peak over it, rounded up.
  const double per_replica = why->replica_requests_per_s;
  REQUIRE(per_replica > 0);
  CHECK(why->replicas == static_cast<int>(std::ceil(231.48148148 / per_replica - 1e-9)));
  CHECK(why->replicas >= 2);
  CHECK(why->gpus_total == why->replicas * why->devices_per_replica);
  // The month: GPUs x $2.00 x 730 h. Tokens a month: 1.2e10 x 730 / 24 = 3.65e11.
  CHECK(why->usd_per_gpu_hour == 2.0);
  CHECK(why->hours_per_month == 730);
  CHECK(why->usd_per_month == Approx(why->gpus_total * 1460.0));
  CHECK(why->tokens_per_month == Approx(3.65e11));
  CHECK(why->usd_per_million_tokens == Approx(why->gpus_total * 1460.0 / 3.65e11 * 1e6));
  // Equal to the plan's own headline.
  CHECK(why->usd_per_million_tokens == Approx(plan.usd_per_million_tokens));
  CHECK(why->replicas == plan.replicas);

  // The band: the replica's P10-P90 requests a second [lo, hi] re-size the fleet,
  // ceil(231.48 / hi) replicas at the cheap end and ceil(231.48 / lo) at the dear end.
  REQUIRE(why->replica_requests_per_s_band.has_value());
  const auto [lo, hi] = *why->replica_requests_per_s_band;
  CHECK(lo <= per_replica);
  CHECK(hi >= per_replica);
  const double fewest = std::max(1.0, std::ceil(231.48148148 / hi - 1e-9));
  const double most = std::max(1.0, std::ceil(231.48148148 / lo - 1e-9));
  REQUIRE(why->replicas_band.has_value());
  CHECK(why->replicas_band->first == fewest);
  CHECK(why->replicas_band->second == most);
  REQUIRE(why->usd_per_million_tokens_band.has_value());
  const double devices = why->devices_per_replica;
  CHECK(why->usd_per_million_tokens_band->first == Approx(fewest * devices * 1460 / 3.65e11 * 1e6));
  CHECK(why->usd_per_million_tokens_band->second == Approx(most * devices * 1460 / 3.65e11 * 1e6));
  CHECK(why->usd_per_million_tokens_band->first <= why->usd_per_million_tokens);
  CHECK(why->usd_per_million_tokens_band->second >= why->usd_per_million_tokens);
  CHECK(why->tokens_per_s_per_user_band.has_value());

  // The plan JSON carries it under "why".
  const Json j = Json::parse(plan_to_json(r, plan));
  CHECK(j["why"]["replicas"] == why->replicas);
  CHECK(j["why"]["usd_per_million_tokens_band"][1].get<double>() ==
        Approx(why->usd_per_million_tokens_band->second));
}

TEST_CASE("plan why: nothing to explain when nothing meets the SLA", "[plan][why]") {
  const Catalog c = why_catalog();
  PlanRequest r = why_request(c, 1e9);
  r.sla.max_ttft_s = 1e-9;
  const Plan plan = make_plan(r, c);
  CHECK_FALSE(explain_plan(r, plan).has_value());
  CHECK(Json::parse(plan_to_json(r, plan))["why"].is_null());
}

}  // namespace
}  // namespace pertoken::test
