// Prints the result JSON of a fixed set of scenarios, one per line: run natively and as
// WebAssembly, the two outputs must agree (tests/parity/compare_parity.py).
#include <cstdio>
#include <string>

#include "pertoken/catalog/catalog.hpp"
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
  return 0;
}
