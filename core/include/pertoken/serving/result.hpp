// What the serving model answers for one scenario: memory, latency, throughput, cost, energy,
// and the breakdowns that explain them. Plain data; estimate.hpp computes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/search/layout.hpp"

namespace pertoken {

// One engine step split into what it spends time on (seconds). Memory traffic and arithmetic of
// the same kernel overlap, so total_s = weight_reads + kv_reads + compute + communication +
// overhead - overlap_s (overlap_s >= 0: the time saved by that overlap).
struct StepBreakdown {
  double decode_tokens = 0;   // sequences that each produce one token in this step
  double prefill_tokens = 0;  // prompt tokens processed in this step
  // The prefill breakdown only: the other requests' prompt tokens in each step that carries this
  // request's prompt (steps packed with several prompts, a static batch's prompts). The decode
  // step's prompt tokens are all the others', in prefill_tokens; here 0.
  double beside_prompt_tokens = 0;
  double weight_reads_s = 0;
  double kv_reads_s = 0;
  double compute_s = 0;
  double communication_s = 0;
  double overhead_s = 0;
  double overlap_s = 0;
  double total_s = 0;
  // Of the above, what the attention heads an engine pads up to a multiple of tp cost (AWS
  // Neuron; ParallelLayout::head_padding): their weights, FLOPs and KV. 0 without padding.
  double padded_heads_s = 0;
  // What the memory-read parts stand for, per GPU of the slowest stage: bytes of weights and of
  // KV cache streamed in this step, at the achieved memory bandwidth (peak x the efficiency
  // factor), so weight_reads_s = weight_bytes_read / memory_bandwidth_bytes_per_s.
  double weight_bytes_read = 0;
  double kv_bytes_read = 0;
  double memory_bandwidth_bytes_per_s = 0;
};

// Memory of the most loaded GPU, in bytes.
struct MemoryBreakdown {
  double capacity_bytes = 0;
  double weights_bytes = 0;
  double activation_bytes = 0;            // workspace for the engine's largest step
  double runtime_reserved_bytes = 0;      // CUDA context, graphs, communication buffers
  double kv_cache_pool_bytes = 0;         // what the engine sets aside for the KV cache
  double kv_cache_bytes = 0;              // KV reserved by the requests in flight
  double kv_cache_bytes_per_token = 0;    // per GPU, all layers of its stage
  double kv_cache_bytes_per_request = 0;  // per GPU, reserved for input + output tokens
};

enum class DecodeBound { memory_bandwidth, compute, communication, overhead };
std::string_view to_string(DecodeBound bound);

// A P10-P90 band around one output, keyed by its result-JSON name.
struct UncertaintyBand {
  std::string output;  // e.g. "output_tokens_per_second"
  double low = 0;
  double high = 0;
};

// A disaggregated deployment's prefill pool and the KV cache's trip to the decode pool.
struct DisaggregatedFigures {
  int prefill_gpus = 0;
  int prefill_tp = 1;
  int prefill_ep = 1;
  double prefill_weights_bytes_per_gpu = 0;
  double prefill_busy_fraction = 0;  // of the prefill pool's time, computing prompts
  double prefill_wait_s = 0;         // a prompt's wait for the pool (part of ttft)
  double prefill_s = 0;              // the prompt's own compute on the pool (part of ttft)
  double kv_transfer_bytes = 0;      // one request's KV cache, all layers
  double kv_transfer_s = 0;          // its trip to the decode pool (part of ttft)
  bool kv_transfer_bandwidth_guessed = false;  // the network's speed is a named guess
};

struct Estimate {
  bool fits = false;
  std::string limit_reason;  // stable id: what limits the deployment (see estimate.cpp)
  std::string limit_detail;  // one sentence with the numbers
  MemoryBreakdown memory;
  double kv_cache_bytes_per_token = 0;  // whole model, all layers and KV heads, no window cap
  long long max_concurrency = 0;        // whole deployment
  double concurrency = 0;               // requests in flight (queued ones included)
  double running_concurrency = 0;       // requests in the running batches
  double ttft_s = 0;
  double tpot_s = 0;
  double e2e_latency_s = 0;
  double output_tokens_per_s = 0;  // whole deployment
  double output_tokens_per_s_per_gpu = 0;
  double input_tokens_per_s = 0;
  double tokens_per_s_per_user = 0;  // 1 / tpot
  double requests_per_s = 0;
  DecodeBound decode_bound = DecodeBound::memory_bandwidth;
  // Unknown (nullopt) without a price per device-hour, or without the device's power.
  std::optional<double> usd_per_hour;
  std::optional<double> usd_per_million_tokens;
  std::optional<double> usd_per_million_input_tokens;
  std::optional<double> usd_per_million_output_tokens;
  std::optional<double> joules_per_output_token;
  // One request's prompt at the scenario's load: the steps it runs in, summed. Their times are
  // the whole steps' (the other requests' decodes and prompt tokens that share them included);
  // decode_tokens counts those decodes per step, beside_prompt_tokens those prompt tokens per
  // step, prefill_tokens this request's prompt alone.
  StepBreakdown prefill;
  StepBreakdown decode_step;       // the average steady-state step
  std::vector<std::string> notes;  // assumptions and fallbacks the user should know about
  // P10-P90 bands from the model's errors on published measurements of the same regime, widened
  // by the input ranges the user states (acceptance rate). Filled by estimate_with_uncertainty.
  std::vector<UncertaintyBand> uncertainty;
  std::string throughput_regime;  // compute | memory_bandwidth | kv_capacity (bands' basis)
  int throughput_regime_rows = 0;
  // The TTFT band's basis: "ttft/alone" or "ttft/loaded" (load_class), then "/dense" or "/moe"
  // and "@engine" where those have enough rows, and how many published measurements it holds.
  std::string ttft_regime;
  int ttft_regime_rows = 0;
  std::optional<DisaggregatedFigures> disaggregated;  // prefill_gpus > 0 only
  // A finite benchmark run (num_prompts): the first wave's requests, and the wait their burst adds
  // to the run's mean ttft (already in ttft_s and e2e_latency_s).
  std::optional<double> first_wave_requests;
  double first_wave_wait_s = 0;
  // And the mean wait for a slot, where the run sends more requests than the engine runs (also
  // in ttft_s and e2e_latency_s).
  double slot_wait_s = 0;
  // Where the weights or one request's KV cache do not fit: the fewest devices of this
  // accelerator that hold the deployment, at their best layout (fewest_devices_layout). Filled
  // by estimate_with_uncertainty; nullopt otherwise, or when no instance of up to 128 holds it.
  std::optional<Layout> fewest_devices_that_fit;
};

}  // namespace pertoken
