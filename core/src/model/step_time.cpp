// Internal: time of one engine step on one pipeline stage, as a roofline per kernel class.
//
// A decoder step runs two kinds of kernels back to back: matrix multiplies, which stream the
// weights and do 2 FLOPs per weight per token, and attention, which streams the KV cache and does
// O(context) FLOPs per token. Within a kernel class, memory traffic and arithmetic overlap, so its
// time is the p-norm of the two (a smoothed max: near the ridge point measured kernels are slower
// than max(memory, compute), as roofline studies of LLM kernels report). The two classes do not
// overlap each other. Tensor-parallel all-reduces, expert-parallel all-to-alls and pipeline sends
// add on top (not overlapped in decode), as does a fixed per-step and per-layer overhead (launches,
// sampling, scheduling) that CUDA graphs shrink but do not remove.
#include "model/step_time.hpp"

#include <algorithm>
#include <cmath>

#include "model/scale_out.hpp"

namespace pertoken::detail {
namespace {

double p_norm(double a, double b, double p) {
  if (a <= 0) return b;
  if (b <= 0) return a;
  const double larger = std::max(a, b);
  const double smaller = larger == a ? b : a;
  // The larger side's term, pow(larger / larger, p), is larger / larger itself (1, or NaN when
  // larger is infinite; p >= 1): one pow fewer, the same bits, in a search's hot loop.
  return larger * std::pow(larger / larger + std::pow(smaller / larger, p), 1.0 / p);
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

// Grouped GEMMs pad each expert's token rows to the kernel's M tile (vLLM fused_moe:
// moe_align_block_size pads "the number of tokens of each expert to a multiple of BLOCK_SIZE_M";
// DeepGEMM's contiguous layout aligns each expert to 128 rows; CUTLASS grouped GEMMs tile M the
// same way). An expert with a handful of tokens therefore costs a whole tile. With n = pairs /
// touched rows per expert, the expected padded rows per expert are max(T, n + T/2): one tile while
// n <= T/2, else n plus half a tile of padding on average (the last tile is uniformly filled).
double padded_expert_rows(double pairs, double touched, double tile) {
  if (pairs <= 0 || touched <= 0) return 0;
  if (tile <= 1) return pairs;
  return std::max(touched * tile, pairs + 0.5 * touched * tile);
}

// Balls into bins (Raab & Steger, "Balls into Bins - A Simple and Tight Analysis", RANDOM 1998):
// m balls thrown uniformly into n bins leave the fullest bin with m/n + sqrt(2 (m/n) ln n) for
// m >> n ln n, i.e. a factor 1 + sqrt(2 ln n / (m/n)) over the mean. Routers are not uniform: a
// few hot experts carry more than their share (DeepSeek-V3 report §2.1.2 and the EPLB repository,
// which replicates them), which `skew` adds on top. The most loaded rank sets the step for all
// (every rank waits at the combine); the balanced case (factor 1) stays the lower bound. The
// busiest rank never holds more than every pair.
double busiest_rank_load_factor(double pairs, double ranks, double skew) {
  if (ranks <= 1 || pairs <= 0) return 1.0;
  const double mean = pairs / ranks;
  const double chance = 1.0 + std::sqrt(2.0 * std::log(ranks) / mean);
  return std::clamp((1.0 + skew) * chance, 1.0, ranks);
}

// Pairwise-exchange all-to-all (Thakur, Rabenseifner & Gropp, "Optimization of Collective
// Communication Operations in MPICH", IJHPCA 2005, §4.4): p - 1 steps, each one message of
// latency alpha, and n (p - 1)/p bytes per process over the link: (p - 1) alpha + bytes / B. The
// fan-out is what makes wide expert parallelism latency-bound at decode batch sizes.
double all_to_all_s(double bytes_sent, double ranks, double link_bytes_per_s,
                    double message_latency_s) {
  if (ranks <= 1) return 0;
  return (ranks - 1) * message_latency_s + bytes_sent / link_bytes_per_s;
}

// Hierarchical all-reduce (NCCL across nodes): a reduce-scatter and an all-gather inside each
// scale-up domain (the ring all-reduce over `domain` GPUs above), and between them an all-reduce
// of each GPU's 1/domain share across the `gpus / domain` domains over the network: 2(N-1)/N of
// that share per GPU, and NCCL's tree latency of two network steps per doubling of domains.
double hierarchical_all_reduce_s(double bytes, int gpus, int domain, double link_bytes_per_s,
                                 double latency_s, double network_bytes_per_s,
                                 double network_step_s) {
  if (domain <= 0 || gpus <= domain) return all_reduce_s(bytes, gpus, link_bytes_per_s, latency_s);
  if (bytes <= 0) return 0;
  const int domains = (gpus + domain - 1) / domain;
  int doublings = 0;  // ceil(log2(domains)), without pulling log2 into the web build
  while ((1 << doublings) < domains) ++doublings;
  const double share = bytes / domain;
  return all_reduce_s(bytes, domain, link_bytes_per_s, latency_s) +
         2.0 * (domains - 1) / domains * share / network_bytes_per_s +
         2.0 * doublings * network_step_s;
}

// An all-to-all whose ranks span scale-up domains: of a rank's ranks - 1 peers, the
// ranks - domain outside its domain are reached over the network, the rest over the scale-up link,
// both at once (DeepEP's internode kernels); the slower side sets the time, plus one network step.
double cross_domain_all_to_all_s(double bytes_sent, double ranks, double domain,
                                 double link_bytes_per_s, double message_latency_s,
                                 double network_bytes_per_s, double network_step_s) {
  if (domain <= 0 || ranks <= domain)
    return all_to_all_s(bytes_sent, ranks, link_bytes_per_s, message_latency_s);
  const double remote = bytes_sent * (ranks - domain) / (ranks - 1);
  return (ranks - 1) * message_latency_s +
         std::max((bytes_sent - remote) / link_bytes_per_s, remote / network_bytes_per_s) +
         network_step_s;
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
  // Collectives over more GPUs than one scale-up domain holds cross the network between domains,
  // when a network speed is set (EfficiencyFactors::scale_out_bytes_per_s_per_gpu; shipped off).
  // 0: the domain is unknown or the network unmodelled, so every GPU counts as inside one.
  const double network = eff.scale_out_bytes_per_s_per_gpu;
  const int domain = network > 0 ? static_cast<int>(s.gpu.scale_up_domain_size.value_or(0)) : 0;
  const int tp_devices = static_cast<int>(std::ceil(layout.tp_gpus));
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
  // The middle stages of a deep pipeline are alike: one computed stage stands for its repeats.
  const StageWeights* previous = nullptr;
  double previous_total_s = 0;
  for (const StageWeights& stage : plan.stages) {
    if (previous != nullptr && stage == *previous) {
      if (sum_of_stages_s != nullptr) *sum_of_stages_s += previous_total_s;
      continue;  // the same time as the stage before, so the slowest stays the slowest
    }
    StepBreakdown b;
    b.decode_tokens = decode_tokens;
    b.prefill_tokens = load.prefill_tokens;

    // Weights streamed: all non-expert weights, the experts the step's tokens touch, the LM head.
    // With expert parallelism the experts see the tokens of every attention-DP rank.
    double weight_bytes = stage.non_expert_bytes + stage.lm_head_bytes;
    double expert_flops = 0;
    double load_factor = 1.0;
    if (s.model.moe && stage.moe_layers > 0) {
      const double routed_tokens =
          load.other_rank_moe_tokens < 0
              ? tokens * layout.attention_dp
              : tokens + load.other_rank_moe_tokens * (layout.attention_dp - 1);
      const double top_k = s.model.moe->experts_per_token;
      const double experts = s.model.moe->num_experts;
      const double touched = expected_experts_touched(experts, top_k, routed_tokens);
      // Redundant experts (EPLB) add replicas: a rank holds (E + redundant) / ep experts, and the
      // touched ones are read once per replica that serves tokens.
      const double replicas = (experts + s.redundant_experts) / experts;
      const double touched_per_gpu = touched * replicas / s.ep;
      weight_bytes += stage.moe_layers * touched_per_gpu * stage.expert_bytes;
      // The busiest rank's token-expert pairs, each expert's rows padded to the GEMM tile.
      const double pairs = routed_tokens * top_k;
      load_factor = busiest_rank_load_factor(pairs, s.ep, eff.expert_load_skew);
      const double rank_rows = padded_expert_rows(pairs / s.ep * load_factor, touched_per_gpu,
                                                  eff.grouped_gemm_tile_rows);
      expert_flops = 2.0 * stage.moe_layers * rank_rows * stage.expert_matmul_params;
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
                    plan.shape.encoder_params / layout.tp_gpus;
    }
    // Attention FLOPs per token per context position, heads split over TP (padded heads
    // included: layout.head_padding).
    const double attention_flops =
        (decode_tokens * plan.shape.decode_attention_flops_per_context *
             (stage.global_attention_layers * load.decode_context +
              stage.local_attention_layers * decode_window_context) +
         load.prefill_tokens * plan.shape.prefill_attention_flops_per_context *
             (stage.global_attention_layers * prefill_context +
              stage.local_attention_layers * prefill_window_context)) *
        layout.head_padding / layout.tp_gpus;

    b.weight_bytes_read = weight_bytes;
    b.kv_bytes_read = kv_bytes;
    b.memory_bandwidth_bytes_per_s = bandwidth;
    b.weight_reads_s = weight_bytes / bandwidth;
    b.kv_reads_s = kv_bytes / bandwidth;
    const double gemm_compute_s =
        gemm_flops / (plan.gemm_flop_per_s * eff.compute_fraction) +
        expert_flops / (plan.expert_flop_per_s * eff.expert_compute_fraction);
    // MLA attention runs its own kernels (FlashMLA, FlashInfer MLA, Triton MLA) at their own
    // achieved fraction of peak; other attention at the GEMM fraction.
    const double attention_fraction =
        s.model.attention == AttentionKind::mla ? eff.mla_attention_fraction : eff.compute_fraction;
    const double attention_compute_s =
        attention_flops / (plan.attention_flop_per_s * attention_fraction);
    b.compute_s = gemm_compute_s + attention_compute_s;
    const double gemm_s = p_norm(b.weight_reads_s, gemm_compute_s, eff.roofline_sharpness);
    const double attention_s = p_norm(b.kv_reads_s, attention_compute_s, eff.roofline_sharpness);
    b.overlap_s = (b.weight_reads_s + b.kv_reads_s + b.compute_s) - (gemm_s + attention_s);
    if (layout.head_padding > 1 || layout.kv_head_padding > 1) {
      // What the padded heads cost: both kernel classes' time less what they take without the
      // padded heads' weights, FLOPs and KV heads.
      const double padded_bytes = stage.layers * plan.padded_head_bytes_per_layer;
      const double padded_flops = 2.0 * tokens * stage.layers * plan.padded_head_params_per_layer;
      const double bare_gemm_s =
          p_norm(b.weight_reads_s - padded_bytes / bandwidth,
                 gemm_compute_s - padded_flops / (plan.gemm_flop_per_s * eff.compute_fraction),
                 eff.roofline_sharpness);
      const double bare_attention_s =
          p_norm(b.kv_reads_s / layout.kv_head_padding, attention_compute_s / layout.head_padding,
                 eff.roofline_sharpness);
      b.padded_heads_s = gemm_s + attention_s - bare_gemm_s - bare_attention_s;
    }

    // Communication: two all-reduces per layer under TP (after attention and after the FFN,
    // Megatron-LM, Shoeybi et al. 2019 §3); dispatch + combine all-to-all per MoE layer under EP,
    // each GPU sending (ep-1)/ep of its tokens' k hidden vectors; one send per stage boundary.
    if (link > 0) {
      const double message = tokens * s.model.hidden_size * activation_bytes;
      const bool tp_spans_domains = domain > 0 && tp_devices > domain;
      b.communication_s +=
          2.0 * stage.layers *
          (tp_spans_domains ? hierarchical_all_reduce_s(message, tp_devices, domain, link,
                                                        eff.collective_latency_s, network,
                                                        network_step_latency_s)
                            : all_reduce_s(message, s.tp, link, eff.collective_latency_s));
      // When attention is tensor-parallel over the whole stage (attention_dp 1), every GPU holds
      // every token after the all-reduce: it runs its own experts on them and the FFN's
      // all-reduce combines the results, so no all-to-all is needed (TensorRT-LLM's TP+EP MoE).
      // With attention data-parallel ranks, tokens live on their rank and must travel.
      // The busiest rank receives load_factor times the mean, and every rank waits for it.
      if (s.ep > 1 && layout.attention_dp > 1 && s.model.moe && stage.moe_layers > 0) {
        const double per_gpu_tokens = tokens / s.tp;
        const double sent = per_gpu_tokens * s.model.moe->experts_per_token * s.model.hidden_size *
                            activation_bytes * (s.ep - 1.0) / s.ep * load_factor;
        const double a2a_link =
            s.gpu.scale_up_bytes_per_s_per_direction.value_or(0) * eff.a2a_fraction;
        b.communication_s +=
            stage.moe_layers * 2.0 *
            (cross_domain_all_to_all_s(sent, s.ep, domain, a2a_link, eff.a2a_message_latency_s,
                                       network, network_step_latency_s) +
             eff.collective_latency_s);
      }
      // A stage boundary between domains sends over the network (the slowest stage's does).
      if (s.pp > 1) {
        const bool crosses = domain > 0 && layout.instance_gpus > domain;
        b.communication_s += crosses ? message / network + network_step_latency_s : message / link;
        b.communication_s += eff.collective_latency_s;
      }
    }
    // Fixed costs: per step, per layer, per MoE layer (router, top-k, permutations); a step with
    // prompt tokens also pays the eager launches of engines that graph-capture decode only. An
    // MLA layer launches more kernels than another layer, so its per-layer costs are larger.
    const double layer_cost_ratio =
        s.model.attention == AttentionKind::mla ? eff.mla_layer_overhead_ratio : 1.0;
    b.overhead_s = eff.step_overhead_s + eff.layer_overhead_s * layer_cost_ratio * stage.layers +
                   eff.moe_layer_overhead_s * stage.moe_layers;
    if (load.prefill_tokens > 0)
      b.overhead_s += eff.prefill_layer_overhead_s * layer_cost_ratio * stage.layers;
    b.total_s = gemm_s + attention_s + b.communication_s + b.overhead_s;
    if (sum_of_stages_s != nullptr) *sum_of_stages_s += b.total_s;
    if (b.total_s > worst.total_s) worst = b;
    previous = &stage;
    previous_total_s = b.total_s;
  }
  return worst;
}

}  // namespace pertoken::detail
