// Prints the result JSON of a fixed set of scenarios, one per line: run natively and as
// WebAssembly, the two outputs must agree (tests/parity/compare_parity.py).
#include <cstdio>
#include <string>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/serving/estimate.hpp"

int main() {
  const pertoken::Catalog& catalog = pertoken::embedded_catalog();
  const char* gpus[] = {"h100-sxm", "h200-sxm", "b200",    "mi300x",
                        "l40s",     "gaudi3",   "tpu-v6e", "a100-80gb-sxm"};
  const char* models[] = {"llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b",    "deepseek-r1",
                          "gemma-3-27b",  "gpt-oss-120b",  "qwen3-235b-a22b", "whisper-large-v3"};
  const char* loads[] = {"\"concurrency\": 1", "\"concurrency\": 32", "\"concurrency\": \"max\"",
                         "\"request_rate_per_s\": 3"};
  for (const char* gpu : gpus) {
    for (const char* model : models) {
      for (const char* load : loads) {
        const std::string scenario = std::string("{\"model\": \"") + model + "\", \"gpu\": \"" +
                                     gpu +
                                     "\", \"gpus\": 8, \"tp\": 4, \"input_tokens\": 300, "
                                     "\"output_tokens\": 100, " +
                                     load + "}";
        std::printf("%s\n", pertoken::evaluate_scenario_json(scenario, catalog).c_str());
      }
    }
  }
  // A benchmark run's first wave, colocated and with a prefill pool of its own.
  for (const char* pool : {"", ", \"prefill_gpus\": 4"}) {
    const std::string scenario =
        std::string("{\"model\": \"qwen3-235b-a22b\", \"gpu\": \"b200\", \"gpus\": 4, ") +
        "\"input_tokens\": 30000, \"output_tokens\": 1000, \"concurrency\": 64, "
        "\"num_prompts\": 128, \"engine\": \"vllm\"" +
        pool + "}";
    std::printf("%s\n", pertoken::evaluate_scenario_json(scenario, catalog).c_str());
  }
  // Each engine profile, on a dense model and a MoE one (its multipliers, its scheduling, and the
  // note a dense model gets under a profile fitted on MoE runs).
  for (const char* engine : {"tensorrt-llm", "vllm", "sglang", "vllm-0.7", "sglang-0.4"}) {
    for (const char* model : {"llama-3.1-70b", "mixtral-8x7b"}) {
      const std::string scenario = std::string("{\"model\": \"") + model +
                                   "\", \"gpu\": \"h100-sxm\", \"gpus\": 4, \"concurrency\": 16, "
                                   "\"engine\": \"" +
                                   engine + "\"}";
      std::printf("%s\n", pertoken::evaluate_scenario_json(scenario, catalog).c_str());
    }
  }
  // The four sweeps (the charts' series) and two plans, for a few scenarios.
  const char* sweep_scenarios[] = {
      R"({"model": "llama-3.1-8b", "gpu": "h100-sxm"})",
      R"({"model": "llama-3.1-70b", "gpu": "h200-sxm", "gpus": 4, "weights": "fp8",
          "concurrency": 64, "usd_per_gpu_hour": 3.5})",
      R"({"model": "mixtral-8x7b", "gpu": "mi300x", "input_tokens": 4000, "output_tokens": 300})",
      R"({"model": "deepseek-r1", "gpu": "b200", "gpus": 8, "tp": 1, "ep": 8})",
  };
  for (const char* scenario : sweep_scenarios) {
    for (const char* kind : {"batching", "memory", "context", "gpus"}) {
      std::printf("%s\n", pertoken::evaluate_sweep_json(kind, scenario, catalog).c_str());
    }
  }
  const pertoken::Catalog& priced = pertoken::embedded_catalog_with_prices();
  for (const char* request :
       {R"({"model": "llama-3.1-70b", "tokens_per_day": 2e9, "max_ttft_seconds": 2,
            "max_tpot_seconds": 0.05})",
        R"({"model": "llama-3.1-8b", "requests_per_second": 20, "peak_to_average": 3,
            "pricing": "owned", "gpus_allowed": "h100-sxm,l40s,l4"})"}) {
    std::printf("%s\n", pertoken::evaluate_plan_json(request, priced).c_str());
  }
  return 0;
}
