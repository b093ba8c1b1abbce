// The planner panel's answer in words, from plan JSON written by hand in the shape the core
// writes: the best, the closest (and a closest beyond the replica limit), and no answer at all.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "plan_words.hpp"

using pertoken::app::plan_answer_lines;
using Json = nlohmann::json;

namespace {

Json scenario() {
  return {{"gpu", "h100-sxm"},
          {"num_gpus", 8},
          {"weights", "fp8"},
          {"speculative", "eagle"},
          {"concurrency", 64}};
}

}  // namespace

TEST_CASE("a plan that meets the SLA reads its fleet and its month") {
  const Json plan = {
      {"meets_sla", true},   {"best", scenario()},     {"replicas", 3},
      {"gpus_total", 24},    {"usd_per_month", 1095},  {"usd_per_million_tokens", 0.094},
      {"utilization", 0.47}, {"pricing", "on-demand"}, {"closest", nullptr}};
  const auto lines = plan_answer_lines(plan);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "Meets the SLA: 3 x 8 h100-sxm, fp8 weights, speculative eagle, "
        "concurrency 64 (24 GPUs in all)");
  // Three significant digits below $1, as the page writes them.
  CHECK(lines[1] == "$1,095 per month, $0.0940 per million tokens, utilization 47% (on-demand)");
}

TEST_CASE("a plan that misses the SLA names the closest, not an empty best") {
  Json plan = {{"meets_sla", false}, {"best", nullptr}, {"replicas", nullptr}};
  plan["closest"] = {{"scenario", scenario()},
                     {"replicas", 2},
                     {"beyond_replica_limit", false},
                     {"usd_per_month", 2000},
                     {"sla_excess", 1.25}};
  auto lines = plan_answer_lines(plan);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "Misses the SLA; closest: 2 x 8 h100-sxm, fp8 weights, speculative eagle, "
        "concurrency 64, at 1.25x the target");
  CHECK(lines[1] == "$2,000 per month for that fleet");

  // Beyond the replica limit the replicas are the limit, too few: no month is quoted for them.
  plan["closest"]["replicas"] = 1000000;
  plan["closest"]["beyond_replica_limit"] = true;
  lines = plan_answer_lines(plan);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("Misses the SLA; closest: more than 1,000,000 x 8 h100-sxm", 0) == 0);
  CHECK(lines[1] == "At this volume it would need more replicas than the planner sizes.");
}

TEST_CASE("with no closest the answer says whether the volume or the SLA is why") {
  Json plan = {{"meets_sla", false},
               {"best", nullptr},
               {"closest", nullptr},
               {"beyond_replica_limit", true}};
  CHECK(plan_answer_lines(plan) ==
        std::vector<std::string>{"Nothing is listed: the volume needs more replicas than the "
                                 "planner sizes (see the notes)."});
  plan["beyond_replica_limit"] = false;
  CHECK(plan_answer_lines(plan) ==
        std::vector<std::string>{
            "Nothing meets the SLA, and no configuration comes close (see the notes)."});
}
