// Internal: the time of one engine step (one forward pass over a batch) on one pipeline stage.
#pragma once

#include "pertoken/serving/estimate.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken::detail {

// What one batch group (one attention data-parallel rank, or one replica) processes in a step.
struct StepLoad {
  double decode_sequences = 0;            // sequences decoding in this step
  double decode_tokens_per_sequence = 1;  // > 1 when speculative decoding verifies drafts
  double decode_context = 0;              // mean context length of those sequences (tokens)
  double prefill_tokens = 0;              // prompt tokens processed
  double prompt_tokens = 0;               // length of the prompts those tokens belong to
  double prompt_cached_tokens = 0;        // of which already in the KV cache (prefix caching)
  double prefill_sequences = 0;           // prompts finishing in this step (each samples once)
  // Tokens each other attention data-parallel rank sends to the experts in this step, on average;
  // negative: the same as this rank. The ranks meet at every MoE layer, so the step lasts as long
  // as its slowest rank's: the load above is that rank's, and the experts see every rank's tokens.
  double other_rank_moe_tokens = -1;
};

// Time of the slowest pipeline stage processing `load` (one micro-batch); `sum_of_stages_s`, when
// given, receives the time of all stages one after the other (a token's way through the pipeline).
StepBreakdown stage_step_time(const ServingPlan& plan, const StepLoad& load,
                              double* sum_of_stages_s = nullptr);

// Expected distinct experts (of `experts`) that `tokens` tokens, each routed to `top_k`, touch:
// E x (1 - (1 - k/E)^tokens).
double expected_experts_touched(double experts, double top_k, double tokens);

// Rows a grouped GEMM multiplies for `pairs` token-expert pairs spread over `touched` experts
// when each expert's rows are padded to a multiple of `tile`: every touched expert costs at least
// one tile, and beyond that half a tile of padding on average.
double padded_expert_rows(double pairs, double touched, double tile);

// The busiest of `ranks` expert-parallel ranks' share of `pairs` token-expert pairs, as a
// multiple of the mean (>= 1; 1 for one rank): chance (balls into bins) times hot-expert skew.
double busiest_rank_load_factor(double pairs, double ranks, double skew);

// One all-to-all over `ranks` GPUs by pairwise exchange: ranks - 1 messages per GPU, each with a
// fixed latency, plus the bytes a GPU sends to the others over the link.
double all_to_all_s(double bytes_sent, double ranks, double link_bytes_per_s,
                    double message_latency_s);

// An all-reduce of `bytes` over `gpus` GPUs in scale-up domains of `domain` (0: one domain):
// a ring inside each domain, and each GPU's 1/domain share all-reduced across domains over the
// network with two network steps per doubling of domains (NCCL's hierarchical algorithms).
double hierarchical_all_reduce_s(double bytes, int gpus, int domain, double link_bytes_per_s,
                                 double latency_s, double network_bytes_per_s,
                                 double network_step_s);

// An all-to-all over `ranks` GPUs in scale-up domains of `domain` (0: one domain): the bytes for
// peers in other domains go over the network while the rest go over the link; the slower sets
// the time, plus one network step.
double cross_domain_all_to_all_s(double bytes_sent, double ranks, double domain,
                                 double link_bytes_per_s, double message_latency_s,
                                 double network_bytes_per_s, double network_step_s);

// Mean attended context of the prompt tokens after the first `cached` of a prompt of `tokens`
// (causal: token t attends t positions), capped by a sliding window of `window` tokens (0: none).
double mean_causal_context(double tokens, double window, double cached = 0);

}  // namespace pertoken::detail
