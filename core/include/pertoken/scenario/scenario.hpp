// A serving scenario: which model on which hardware, how it is split and loaded, at what price.
// Parsed from the scenario JSON every front end speaks (the CLI's flags map onto the same keys).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/catalog/precision.hpp"
#include "pertoken/diagnostics.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/scenario/presets.hpp"

namespace pertoken {

enum class Batching { continuous, static_batch };
enum class KvLayout { paged, contiguous };
enum class SpeculativeMethod { none, draft_model, mtp, eagle, medusa, ngram };
// The scenario's speculative value for a draft model: this prefix and the draft's catalog id.
inline constexpr std::string_view draft_model_prefix = "draft:";
// The serving engine whose measured efficiency profile applies (assets/engines.json).
// vllm_0_7 and sglang_0_4 are those engines' early-2025 releases (vLLM before 0.8, whose V0
// engine was then replaced; SGLang 0.4.x), kept apart so that old published runs neither drag
// the current profiles down nor go unexplained.
enum class Engine { tensorrt_llm, vllm, sglang, vllm_0_7, sglang_0_4 };
inline constexpr int num_engines = static_cast<int>(engine_profile_count);

std::string_view to_string(Batching batching);
std::string_view to_string(KvLayout layout);
std::string_view to_string(SpeculativeMethod method);
// The method's default draft length and acceptance rate (named guesses; scenario.cpp cites them).
std::pair<int, double> speculative_defaults_of(SpeculativeMethod method);
std::string_view to_string(Engine engine);  // "tensorrt-llm", "vllm", "sglang", "vllm-0.7", ...
std::optional<Engine> engine_from_string(std::string_view word);

// Speculative decoding: a cheap proposer guesses draft_tokens tokens, the target model verifies
// them in one step and keeps the accepted prefix plus one token of its own.
struct Speculative {
  SpeculativeMethod method = SpeculativeMethod::none;
  std::optional<ModelSpec> draft_model;  // method draft_model: the proposer, from the catalog
  int draft_tokens = 0;                  // proposed per step, >= 1 (default by method)
  double acceptance_rate = 0;            // per proposed token, [0, 1] (default by method)
  // The range the user states (e.g. 0.6:0.8); acceptance_rate is then its midpoint and the
  // range widens the uncertainty bands.
  std::optional<std::pair<double, double>> acceptance_range;
  bool defaults_used = false;  // draft_tokens or acceptance_rate came from the method's defaults
};

struct Scenario {
  ModelSpec model;
  GpuSpec gpu;
  int num_gpus = 1;                      // devices in the deployment
  int tp = 1;                            // tensor-parallel degree; default num_gpus / pp
  int pp = 1;                            // pipeline stages
  int ep = 1;                            // expert-parallel degree (MoE only)
  Precision weights = Precision::bf16;   // default: the model's released checkpoint
  Precision kv_cache = Precision::bf16;  // default: bf16 (fp32 with fp32 weights, fp16 with fp16)
  // The named workload (presets.hpp) the lengths default to, and whose latency target the result
  // checks; nullptr = none.
  const WorkloadPreset* preset = nullptr;
  int input_tokens = 2000;         // prompt tokens per request
  int output_tokens = 500;         // generated tokens per request
  std::optional<int> concurrency;  // requests in flight; nullopt = "max" (largest that fits)
  // Open-loop load instead of a fixed concurrency: requests arrive at this rate and the
  // concurrency is what Little's law gives (requests in flight = rate x latency).
  std::optional<double> request_rate_per_s;
  // A finite benchmark run at the fixed concurrency (vllm bench serve / SGLang bench_serving
  // --num-prompts): its first `concurrency` requests arrive together, so their prompts queue
  // behind each other; ttft and e2e are then the run's means. nullopt: a steady stream.
  std::optional<long long> num_prompts;
  // Price of one device-hour; default: the GPU's catalog reference price. nullopt: unknown
  // (the catalog has none and the user gave none), so costs are unknown too.
  std::optional<double> usd_per_gpu_hour;
  // Engine caps. 2048 requests: TensorRT-LLM's build default (trtllm-bench sizes up to 4096 from
  // the KV cache; vLLM V1 uses 1024 on 80 GB-class GPUs). 8192 tokens: both engines' default.
  int max_batch_size = 2048;                 // requests per step, per batch group
  int max_num_tokens = 8192;                 // tokens per step (the prefill chunk budget)
  Batching batching = Batching::continuous;  // static: a batch runs to its end before the next
  bool chunked_prefill = true;           // false: a prompt runs whole, in a step without decodes
  KvLayout kv_layout = KvLayout::paged;  // contiguous reserves the full context per request
  double prefix_cache_hit_rate = 0;      // share of each prompt already in the KV cache, [0, 1)
  Speculative speculative;
  Engine engine = Engine::tensorrt_llm;  // = tensorrt-llm; selects the efficiency profile
  // Expert replicas beyond the model's experts (EPLB's redundant experts), spread over the ep
  // ranks so that ep need not divide the experts: each rank holds (experts + redundant) / ep.
  int redundant_experts = 0;  // default: the fewest that make ep divide experts + redundant
  // Disaggregated prefill and decode (DistServe, Zhong et al. OSDI'24; Splitwise; SGLang/Dynamo
  // PD): prefill_gpus > 0 devices of the same kind run every prompt, in a pool of their own with
  // its own parallelism, and send the KV cache to the decode pool, which num_gpus, tp, pp and ep
  // then describe. 0: prompts run beside the decodes on the same devices.
  int prefill_gpus = 0;
  int prefill_tp = 1;  // default: the decode pool's tp when it divides prefill_gpus, else all
  int prefill_ep = 1;  // expert-parallel degree of the prefill pool (MoE only)
};

// The prefill pool of a disaggregated scenario as a scenario of its own: its devices and
// parallelism, the same model, accelerator, precisions, lengths and engine; one stage.
Scenario prefill_pool_scenario(const Scenario& scenario);

// Prompt tokens a request computes: the part of its prompt the prefix cache does not hold.
inline double prompt_tokens_computed(const Scenario& scenario) {
  return scenario.input_tokens * (1.0 - scenario.prefix_cache_hit_rate);
}

// Tokens one engine step may carry: max_num_tokens, or a whole prompt past it when chunked
// prefill is off (the prompt cannot be split; vLLM refuses to start rather than cut it).
inline double step_token_budget(const Scenario& scenario) {
  const double budget = scenario.max_num_tokens;
  return scenario.chunked_prefill ? budget : std::max(budget, prompt_tokens_computed(scenario));
}

// Devices paid for: the decode (or only) pool plus a disaggregated prefill pool.
inline int devices_in_deployment(const Scenario& scenario) {
  return scenario.num_gpus + scenario.prefill_gpus;
}

// Lays `overrides` (scenario keys with JSON text values, e.g. from CLI flags) over a scenario
// document: each replaces the document's value, and also drops the document's value of a field it
// is an alternative to (concurrency and request_rate_per_s; num_gpus and its alias gpus). Two
// overrides that exclude each other both stay, so parse_scenario reports the pair. Fails only when
// `document` is not a JSON object (the diagnostics say where).
Result<std::string> overlay_scenario(
    std::string_view document, const std::vector<std::pair<std::string, std::string>>& overrides);

// The value each field takes when a scenario document leaves it out, given the fields it does
// hold (tp from num_gpus and pp, the KV cache from the weights, the price from the accelerator,
// the speculative defaults from the method): a JSON object keyed like the scenario, null where the
// rule needs a field that is missing or invalid. Forms show these as what "auto" stands for.
std::string scenario_defaults_json(std::string_view document, const Catalog& catalog);

// Parses a scenario document against `catalog` and checks every constraint (tp divides the GPUs,
// heads divide tp, tokens fit the context...). Paths in diagnostics are JSON pointers ("/tp").
Result<Scenario> parse_scenario(std::string_view json_text, const Catalog& catalog);

// The constraints parse_scenario checks between fields, for callers that build a Scenario in code
// (the desktop app, benchmarks): parallel degrees, context length, figures the estimate needs.
Diagnostics check_scenario(const Scenario& scenario);

// check_scenario without the catalog-figure check: only the constraints between fields (parallel
// degrees against the devices and the model's heads, experts and layers; the context). For
// searches that run the estimate next, which reports a missing figure as limit_reason
// "unknown_figure" itself.
Diagnostics check_layout(const Scenario& scenario);

}  // namespace pertoken
