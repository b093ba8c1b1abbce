// Internal: memory per GPU (weights, activations, runtime, KV cache) and how many requests fit.
#pragma once

#include "pertoken/serving/estimate.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken::detail {

struct MemoryFit {
  MemoryBreakdown breakdown;          // of the tightest stage; kv_cache_bytes left at 0
  double max_requests_per_group = 0;  // requests of input+output tokens one batch group can hold
  std::size_t tightest_stage = 0;
  double kv_bytes_per_request_per_gpu = 0;
};

// KV-cache bytes one GPU of `stage` holds for one request whose context is `tokens` long
// (sliding-window layers keep at most their window; encoder-decoder adds cross-attention KV).
double kv_bytes_per_request(const ServingPlan& plan, const StageWeights& stage, double tokens);

MemoryFit fit_memory(const ServingPlan& plan);

}  // namespace pertoken::detail
