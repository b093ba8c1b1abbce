// The plan's answer in words, written once for every door: the CLI's plan table, the planner
// page's verdict and the app's planner panel all show these strings (the plan JSON's "answer",
// and each option's "words" and "fleet_words").
#pragma once

#include <string>
#include <string_view>

#include "pertoken/plan/planner.hpp"

namespace pertoken {

// One instance of a configuration: "8 × NVIDIA H100 SXM (tp 8, pp 1, ep 1; fp8 weights, bf16
// KV cache; eagle speculative decoding; 64 requests in flight)".
std::string configuration_words(const Scenario& instance);

// Its fleet: "2 replicas, 16 devices in all"; beyond the planner's replica limit, where the
// replica count is that limit and too few, "more than 1,000,000 replicas".
std::string fleet_words(const PlanOption& option);

// A savings-waterfall lever in words, as a row or bar is labelled: "paged_kv" -> "Paged KV
// cache", "utilization" -> "Fleet utilization"; a lever this build does not know comes back as
// it is.
std::string_view lever_words(std::string_view lever);

struct PlanAnswer {
  // "Meets the SLA at $0.123 per million tokens (on-demand prices).", or what misses it and by
  // how much, or why nothing is listed.
  std::string verdict;
  // The best's configuration, fleet and month; the closest's fleet and month; or "" (the notes
  // say why nothing is listed).
  std::string detail;
};

PlanAnswer plan_answer(const PlanRequest& request, const Plan& plan);

}  // namespace pertoken
