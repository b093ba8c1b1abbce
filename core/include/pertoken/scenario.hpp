// A serving scenario: which model on which hardware, how it is split and loaded, at what price.
// Parsed from the scenario JSON every front end speaks (the CLI's flags map onto the same keys).
#pragma once

#include <optional>
#include <string_view>

#include "pertoken/catalog.hpp"
#include "pertoken/diagnostics.hpp"
#include "pertoken/precision.hpp"

namespace pertoken {

// Limits that reject absurd input rather than computing nonsense.
inline constexpr int max_num_gpus = 65536;
inline constexpr int max_tokens_per_request = 10'000'000;
inline constexpr int max_concurrency_limit = 10'000'000;

struct Scenario {
  ModelSpec model;
  GpuSpec gpu;
  int num_gpus = 1;                      // devices in the deployment
  int tp = 1;                            // tensor-parallel degree; default num_gpus / pp
  int pp = 1;                            // pipeline stages
  int ep = 1;                            // expert-parallel degree (MoE only)
  Precision weights = Precision::bf16;   // default: the model's released checkpoint
  Precision kv_cache = Precision::bf16;  // default: bf16 (fp32 with fp32 weights, fp16 with fp16)
  int input_tokens = 2000;               // prompt tokens per request
  int output_tokens = 500;               // generated tokens per request
  std::optional<int> concurrency;        // requests in flight; nullopt = "max" (largest that fits)
  // Open-loop load instead of a fixed concurrency: requests arrive at this rate and the
  // concurrency is what Little's law gives (requests in flight = rate x latency).
  std::optional<double> request_rate_per_s;
  double usd_per_gpu_hour = 0;  // default: the GPU's catalog reference price
  bool usd_per_gpu_hour_known = false;
  int max_batch_size = 2048;  // engine cap on sequences per step (vLLM max_num_seqs default)
  int max_num_tokens = 8192;  // engine cap on tokens per step (prefill chunk budget)
};

// Names of the keys a scenario document may hold (for --help and error messages).
std::string_view scenario_keys_help();

// Parses a scenario document against `catalog` and checks every constraint (tp divides the GPUs,
// heads divide tp, tokens fit the context...). Paths in diagnostics are JSON pointers ("/tp").
Result<Scenario> parse_scenario(std::string_view json_text, const Catalog& catalog);

// The constraints parse_scenario checks between fields, for callers that build a Scenario in code
// (the desktop app, benchmarks): parallel degrees, context length, figures the estimate needs.
Diagnostics check_scenario(const Scenario& scenario);

}  // namespace pertoken
