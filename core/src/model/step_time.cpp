// Internal: time of one engine step on one pipeline stage, as a roofline per kernel class.
//
// A decoder step runs two kinds of kernels back to back: matrix multiplies, which stream the
// weights and do 2 FLOPs per weight per token, and attention, which streams the KV cache and does
// O(context) FLOPs per token. Within a kernel class, memory traffic and arithmetic overlap, so its
// time is the p-norm of the two (a smoothed max: near the ridge point measured kernels are slower
// than max(memory, compute); ../shared/MODELING.md). The two classes do not overlap each other.
// Tensor-parallel all-reduces, expert-parallel all-to-alls and pipeline sends add on top (not
// overlapped in decode), as does a fixed per-step and per-layer overhead (launches, sampling,
// scheduling) that CUDA graphs shrink but do not remove.
#include "model/step_time.hpp"

#include <algorithm>
#include <cmath>

namespace pertoken::detail {
namespace {

double p_norm(double a, double b, double p) {
  if (a <= 0) return b;
  if (b <= 0) return a;
  const double larger = std::max(a, b);
  return larger * std::pow(std::pow(a / larger, p) + std::pow(b / larger, p), 1.0 / p);
}

// Ring all-reduce (NCCL; Patarasuk & Yuan 2009): each GPU sends and receives 2(n-1)/n of the
// message over its link, plus a fixed latency per collective.
double all_reduce_s(double bytes, int gpus, double link_bytes_per_s, double latency_s) {
  if (gpus <= 1 || bytes <= 0) return 0;
  return 2.0 * (gpus - 1) / gpus * bytes / link_bytes_per_s + latency_s;
}

}  // namespace

// Every expert is missed by one token with probability (1 - k/E), so by all of them with
// (1 - k/E)^tokens (uniform, independent routing; real routers are skewed, which touches fewer).
double expected_experts_touched(double experts, double top_k, double tokens) {
  if (tokens <= 0 || experts <= 0) return 0;
  return experts * (1.0 - std::pow(1.0 - top_k / experts, tokens));
}

double mean_causal_context(double tokens, double window, double cached) {
  // sum_{t=1..n} min(t, W) = W(W+1)/2 + W(n-W) for n > W, n(n+1)/2 otherwise.
  auto attended = [&](double n) {
    if (n <= 0) return 0.0;
    if (window <= 0 || n <= window) return n * (n + 1) / 2;
    return window * (window + 1) / 2 + window * (n - window);
  };
  const double processed = tokens - cached;
  if (processed <= 0) return 0;
  return (attended(tokens) - attended(cached)) / processed;
}

StepBreakdown stage_step_time(const ServingPlan& plan, const StepLoad& load,
                              double* sum_of_stages_s) {
  const Scenario& s = *plan.scenario;
  const EfficiencyFactors& eff = plan.efficiency;
  const ParallelLayout& layout = plan.layout;
  const double bandwidth = s.gpu.memory_bandwidth_bytes_per_s * eff.memory_bandwidth_fraction;
  const double link =
      s.gpu.scale_up_bytes_per_s_per_direction.value_or(0) * eff.interconnect_fraction;
  // Speculative verification runs several tokens per decoding sequence (all of them sample).
  const double decode_tokens = load.decode_sequences * load.decode_tokens_per_sequence;
  const double tokens = decode_tokens + load.prefill_tokens;
  const double sampled = decode_tokens + load.prefill_sequences;
  const double activation_bytes = 2.0;  // bf16 activations on the wire
  const double window = s.model.sliding_window ? s.model.sliding_window->window_tokens : 0.0;
  const double decode_window_context =
      window > 0 ? std::min(load.decode_context, window) : load.decode_context;
  const double prefill_context =
      mean_causal_context(load.prompt_tokens, 0, load.prompt_cached_tokens);
  const double prefill_window_context =
      mean_causal_context(load.prompt_tokens, window, load.prompt_cached_tokens);

  StepBreakdown worst;
  worst.memory_bandwidth_bytes_per_s = bandwidth;
  if (sum_of_stages_s != nullptr) *sum_of_stages_s = 0;
  if (tokens <= 0) return worst;
  for (const StageWeights& stage : plan.stages) {
    StepBreakdown b;
    b.decode_tokens = decode_tokens;
    b.prefill_tokens = load.prefill_tokens;

    // Weights streamed: all non-expert weights, the experts the step's tokens touch, the LM head.
    // With expert parallelism the experts see the tokens of every attention-DP rank.
    double weight_bytes = stage.non_expert_bytes + stage.lm_head_bytes;
    double expert_flops = 0;
    if (s.model.moe && stage.moe_layers > 0) {
      const double routed_tokens = tokens * layout.attention_dp;
      const double top_k = s.model.moe->experts_per_token;
      const double experts = s.model.moe->num_experts;
      const double touched_per_gpu = expected_experts_touched(experts, top_k, routed_tokens) / s.ep;
      weight_bytes += stage.moe_layers * touched_per_gpu * stage.expert_bytes;
      // Balanced routing: each GPU multiplies routed_tokens * k / ep token-expert pairs.
      expert_flops =
          2.0 * stage.moe_layers * routed_tokens * top_k / s.ep * stage.expert_matmul_params;
    }
    if (load.prefill_sequences > 0 && stage.encoder_bytes > 0 && s.model.encoder) {
      weight_bytes += stage.encoder_bytes;
    }

    // KV cache streamed by decode attention (prefill attention works from on-chip tiles).
    const double kv_token_layer = plan.shape.kv_elements_per_token_per_layer *
                                  layout.kv_share_per_gpu * plan.kv_bytes_per_element;
    const double kv_bytes = load.decode_sequences * kv_token_layer *
                            (stage.global_attention_layers * load.decode_context +
                             stage.local_attention_layers * decode_window_context);

    // Matmul FLOPs: 2 per weight per token; the LM head only for tokens that sample.
    double gemm_flops =
        2.0 * tokens * stage.non_expert_matmul_params + 2.0 * sampled * stage.lm_head_matmul_params;
    if (s.model.encoder && stage.encoder_bytes > 0) {
      // Encoder over its source positions, once per prompt.
      gemm_flops += 2.0 * load.prefill_sequences * s.model.encoder->source_positions *
                    plan.shape.encoder_params / s.tp;
    }
    // Attention FLOPs per token per context position, heads split over TP.
    const double attention_flops =
        (decode_tokens * plan.shape.decode_attention_flops_per_context *
             (stage.global_attention_layers * load.decode_context +
              stage.local_attention_layers * decode_window_context) +
         load.prefill_tokens * plan.shape.prefill_attention_flops_per_context *
             (stage.global_attention_layers * prefill_context +
              stage.local_attention_layers * prefill_window_context)) /
        s.tp;

    b.weight_bytes_read = weight_bytes;
    b.kv_bytes_read = kv_bytes;
    b.memory_bandwidth_bytes_per_s = bandwidth;
    b.weight_reads_s = weight_bytes / bandwidth;
    b.kv_reads_s = kv_bytes / bandwidth;
    const double gemm_compute_s =
        gemm_flops / (plan.gemm_flop_per_s * eff.compute_fraction) +
        expert_flops / (plan.expert_flop_per_s * eff.expert_compute_fraction);
    const double attention_compute_s =
        attention_flops / (plan.attention_flop_per_s * eff.compute_fraction);
    b.compute_s = gemm_compute_s + attention_compute_s;
    const double gemm_s = p_norm(b.weight_reads_s, gemm_compute_s, eff.roofline_sharpness);
    const double attention_s = p_norm(b.kv_reads_s, attention_compute_s, eff.roofline_sharpness);
    b.overlap_s = (b.weight_reads_s + b.kv_reads_s + b.compute_s) - (gemm_s + attention_s);

    // Communication: two all-reduces per layer under TP (after attention and after the FFN,
    // Megatron-LM, Shoeybi et al. 2019 §3); dispatch + combine all-to-all per MoE layer under EP,
    // each GPU sending (ep-1)/ep of its tokens' k hidden vectors; one send per stage boundary.
    if (link > 0) {
      const double message = tokens * s.model.hidden_size * activation_bytes;
      b.communication_s +=
          2.0 * stage.layers * all_reduce_s(message, s.tp, link, eff.collective_latency_s);
      // When attention is tensor-parallel over the whole stage (attention_dp 1), every GPU holds
      // every token after the all-reduce: it runs its own experts on them and the FFN's
      // all-reduce combines the results, so no all-to-all is needed (TensorRT-LLM's TP+EP MoE).
      // With attention data-parallel ranks, tokens live on their rank and must travel.
      if (s.ep > 1 && layout.attention_dp > 1 && s.model.moe && stage.moe_layers > 0) {
        const double per_gpu_tokens = tokens / s.tp;
        const double sent = per_gpu_tokens * s.model.moe->experts_per_token * s.model.hidden_size *
                            activation_bytes * (s.ep - 1.0) / s.ep;
        b.communication_s += stage.moe_layers * 2.0 * (sent / link + eff.collective_latency_s);
      }
      if (s.pp > 1) b.communication_s += message / link + eff.collective_latency_s;
    }
    b.overhead_s = eff.step_overhead_s + eff.layer_overhead_s * stage.layers;
    b.total_s = gemm_s + attention_s + b.communication_s + b.overhead_s;
    if (sum_of_stages_s != nullptr) *sum_of_stages_s += b.total_s;
    if (b.total_s > worst.total_s) worst = b;
  }
  return worst;
}

}  // namespace pertoken::detail
