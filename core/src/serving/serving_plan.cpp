// Internal: precisions, achievable rates and per-GPU weight bytes derived from a scenario.
#include "serving/serving_plan.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "model/scale_out.hpp"
#include "pertoken/model/engine_profile.hpp"

namespace pertoken::detail {
namespace {

bool is_16_bit_or_wider(Precision p) {
  return p == Precision::fp32 || p == Precision::bf16 || p == Precision::fp16;
}

// The 16-bit tensor format a chip offers (bf16 preferred), for math that runs at 16 bits.
std::optional<Precision> sixteen_bit_format(const GpuSpec& gpu) {
  if (gpu.peak(Precision::bf16).supported) return Precision::bf16;
  if (gpu.peak(Precision::fp16).supported) return Precision::fp16;
  if (gpu.peak(Precision::fp32).supported) return Precision::fp32;
  return std::nullopt;
}

// The format the multiplies run in for weights stored as `weights`. Weight+activation formats
// (fp8, int8, fp4) run natively only where the chip has that format; elsewhere, and always for
// int4 (W4A16, as GPTQ/AWQ kernels do), the weights are dequantized and the math runs at 16 bits.
struct MathFormat {
  std::optional<Precision> precision;
  bool fallback = false;  // the chip lacks the stored format's math
  // Weights dequantized to `precision` inside the GEMM, paying dequant_work_share.
  // NOTE: no format sets it today, so dequant_work_share does not act. Setting it for the
  // fallbacks and int4 (2026-12-02) made the refit worse on the calibration set itself (dense
  // median 4.5% -> 6.8%, TTFT 30.8% -> 36.6%; its weight-only rows are gpt-oss MXFP4 MoE kernels
  // on MI300X and H100, not Marlin-style dense GEMMs), so it stays off until such rows pin it.
  bool weight_only = false;
  // W4A8: 4-bit (MXFP4) weights with activations quantized to MXFP8, at the fp8 rate.
  bool w4a8 = false;
};

MathFormat math_format(Precision weights, const GpuSpec& gpu) {
  switch (weights) {
    case Precision::fp32:
      return {gpu.peak(Precision::fp32).supported ? std::optional(Precision::fp32)
                                                  : sixteen_bit_format(gpu),
              !gpu.peak(Precision::fp32).supported};
    case Precision::bf16:
    case Precision::fp16:
      if (gpu.peak(weights).supported) return {weights, false};
      return {sixteen_bit_format(gpu), false};
    case Precision::fp8:
    case Precision::int8:
    case Precision::fp4:
      if (gpu.peak(weights).supported) return {weights, false};
      return {sixteen_bit_format(gpu), true};
    case Precision::int4: return {sixteen_bit_format(gpu), false};
  }
  return {std::nullopt, false};
}

// The format routed experts multiply in. MXFP4 experts (gpt-oss) on a chip with FP4 math run
// W4A8: the engines quantize activations to MXFP8 and the mixed-input tensor instructions run at
// the FP8 rate (TensorRT-LLM's gpt-oss deployment guide, MoE backend support matrix: B200/GB200
// MXFP8 activations x MXFP4 weights; H200 BF16 x MXFP4, the weight-only fallback above). NVFP4
// checkpoints quantize activations to FP4 too (W4A4) and run at the FP4 rate.
// NOTE: a named guess on AMD's MI355X (gfx950), which has both paths for gpt-oss: AITER's A8W4
// MoE kernels (ROCm/aiter PR 3580, tuned for gpt-oss-120b W4A8) and its A4W4 SwiGLU path
// (ROCm/aiter PR 2972, 2026-05); W4A8 is assumed there as on NVIDIA.
MathFormat expert_math_format(Precision weights, const ModelSpec& model, const GpuSpec& gpu) {
  const MathFormat math = math_format(weights, gpu);
  const bool mx_on_fp4_chip = weights == Precision::fp4 && model.fp4_format == Fp4Format::mxfp4 &&
                              math.precision == Precision::fp4;
  if (mx_on_fp4_chip && gpu.peak(Precision::fp8).supported) {
    return {.precision = Precision::fp8, .w4a8 = true};
  }
  return math;
}

// Resolves a math format's rate or explains why there is none.
std::optional<double> rate_of(const MathFormat& format, const GpuSpec& gpu,
                              Diagnostics& diagnostics) {
  if (!format.precision) {
    diagnostics.push_back(
        {ErrorCode::unknown_figure, "/gpu", gpu.id + " lists no 16-bit or fp32 dense throughput"});
    return std::nullopt;
  }
  const PeakRate& rate = gpu.peak(*format.precision);
  if (!rate.flop_per_s) {
    diagnostics.push_back(
        {ErrorCode::unknown_figure, "/gpu",
         gpu.id + ": dense " + std::string(to_string(*format.precision)) +
             " throughput is unknown in the catalog; give it in a custom catalog"});
    return std::nullopt;
  }
  return rate.flop_per_s;
}

// One note naming the catalog figures (marked "estimate": true) that an estimate reads, so that a
// derived number is never taken for a published one; empty when there are none. An estimate reads
// the device's capacity and bandwidth always, the dense rate of each format its multiplies run
// in, the scale-up link when devices talk, and the power when energy is given.
std::string estimated_figures_note(const GpuSpec& gpu,
                                   std::initializer_list<std::optional<Precision>> math,
                                   bool needs_link) {
  // Most devices have no estimated figure: no string is built for them (the layout search and the
  // planner make a plan per candidate).
  if (std::none_of(gpu.provenance.begin(), gpu.provenance.end(),
                   [](const auto& figure) { return figure.second.estimate; })) {
    return "";
  }
  std::vector<std::string> words;
  auto read = [&](const std::string& pointer, const std::string& label) {
    auto it = gpu.provenance.find(pointer);
    if (it != gpu.provenance.end() && it->second.estimate &&
        std::find(words.begin(), words.end(), label) == words.end()) {
      words.push_back(label);
    }
  };
  read("/memory_gib", "memory capacity");
  read("/memory_bandwidth_tb_per_s", "memory bandwidth");
  for (const std::optional<Precision>& p : math) {
    if (p)
      read("/dense_tflops/" + std::string(to_string(*p)),
           "dense " + std::string(to_string(*p)) + " throughput");
  }
  if (needs_link) read("/scale_up/bandwidth_gb_per_s_per_direction", "scale-up bandwidth");
  if (gpu.tdp_w) read("/tdp_w", "power (TDP)");
  if (words.empty()) return "";
  std::string list;
  for (std::size_t i = 0; i < words.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
  }
  const bool one = words.size() == 1;
  return gpu.name + ": its " + list + " in the catalog " +
         (one ? "is an estimate, not a published figure (its note in the catalog says how it "
                "was derived)"
              : "are estimates, not published figures (their notes in the catalog say how they "
                "were derived)");
}

}  // namespace

// What a speculative proposer holds and costs, per GPU of a single-stage plan.
//  - draft model: its own plan on the same GPUs (weights, KV, steps);
//  - MTP (DeepSeek-V3 §2.2) and EAGLE: one more decoder layer, sharing the embedding and LM head,
//    so one proposed token costs about one layer plus the LM head of a target step;
//  - Medusa (Cai et al. 2024): k heads, each a residual block (hidden^2) and its own vocabulary
//    projection, all run in one pass per step;
//  - n-gram lookup: nothing on the GPU.
Diagnostics plan_proposer(ServingPlan& plan, const EfficiencyFactors& efficiency) {
  const Scenario& s = *plan.scenario;
  const Speculative& spec = s.speculative;
  const StageWeights& stage = plan.stages.front();
  const double layers = stage.layers > 0 ? stage.layers : 1.0;
  const double target_read_bytes = stage.non_expert_bytes + stage.lm_head_bytes +
                                   stage.moe_layers * stage.experts_per_gpu * stage.expert_bytes;
  const double layer_bytes =
      (stage.total_bytes - stage.embedding_bytes - stage.lm_head_bytes) / layers;
  const double kv_per_token_layer = plan.shape.kv_elements_per_token_per_layer *
                                    plan.layout.kv_share_per_gpu * plan.kv_bytes_per_element;
  switch (spec.method) {
    case SpeculativeMethod::none:
    case SpeculativeMethod::ngram: break;
    case SpeculativeMethod::mtp:
    case SpeculativeMethod::eagle:
      plan.proposer_weight_bytes = layer_bytes;
      plan.proposer_kv_bytes_per_token = kv_per_token_layer;
      plan.proposer_step_share = (layer_bytes + stage.lm_head_bytes) / target_read_bytes;
      break;
    case SpeculativeMethod::medusa: {
      const double hidden = s.model.hidden_size;
      const double head_params = hidden * hidden + static_cast<double>(s.model.vocab_size) * hidden;
      plan.proposer_weight_bytes = spec.draft_tokens * head_params / plan.layout.tp_gpus *
                                   storage_bytes(plan.embedding_weights);
      plan.proposer_step_share = plan.proposer_weight_bytes / target_read_bytes;
      break;
    }
    case SpeculativeMethod::draft_model: {
      auto draft_scenario = std::make_shared<Scenario>(s);
      draft_scenario->model = *spec.draft_model;
      draft_scenario->weights = s.weights;
      draft_scenario->speculative = Speculative{};
      Result<ServingPlan> draft = make_serving_plan(*draft_scenario, efficiency);
      if (!draft.ok()) return draft.diagnostics();
      const StageWeights& d = draft.value().stages.front();
      plan.proposer_weight_bytes = d.total_bytes;
      plan.proposer_kv_bytes_per_token = draft.value().shape.kv_elements_per_token_per_layer *
                                         draft.value().layout.kv_share_per_gpu *
                                         draft.value().kv_bytes_per_element * d.layers;
      plan.draft_scenario = draft_scenario;
      plan.draft = std::make_shared<const ServingPlan>(std::move(draft.value()));
      break;
    }
  }
  return {};
}

// The prefill pool's own plan (its parallelism, one stage) and the KV cache's link: the scale-up
// fabric when both pools fit in one scale-up domain, else the network. Each GPU of the smaller of
// the two instances sends (or receives) its shard of the cache at once.
Diagnostics plan_prefill_pool(ServingPlan& plan, const EfficiencyFactors& efficiency) {
  const Scenario& s = *plan.scenario;
  auto pool_scenario = std::make_shared<Scenario>(prefill_pool_scenario(s));
  Result<ServingPlan> pool = make_serving_plan(*pool_scenario, efficiency);
  if (!pool.ok()) return pool.diagnostics();
  const double senders = std::min(pool.value().layout.instance_gpus, plan.layout.instance_gpus);
  const bool one_domain = s.gpu.scale_up_domain_size && s.gpu.scale_up_bytes_per_s_per_direction &&
                          s.num_gpus + s.prefill_gpus <= *s.gpu.scale_up_domain_size;
  plan.kv_transfer_bandwidth_guessed = !one_domain;
  plan.kv_transfer_bytes_per_s = senders * (one_domain ? *s.gpu.scale_up_bytes_per_s_per_direction
                                                       : guessed_scale_out_bytes_per_s_per_gpu);
  plan.prefill_scenario = pool_scenario;
  plan.prefill_pool = std::make_shared<const ServingPlan>(std::move(pool.value()));
  plan.notes.push_back(
      "disaggregated: " + std::to_string(s.prefill_gpus) + " prefill + " +
      std::to_string(s.num_gpus) + " decode GPUs; the KV cache crosses " +
      (one_domain ? std::string("the scale-up fabric")
                  : std::string("the network at a guessed 400 Gb/s per GPU (one RDMA NIC each)")) +
      ", not overlapped with the prompt's compute; per-GPU figures count both pools");
  return {};
}

Result<ServingPlan> make_serving_plan(const Scenario& s, const EfficiencyFactors& efficiency) {
  ServingPlan plan;
  plan.scenario = &s;
  // The engine's profile: its multipliers on the shared factors (assets/engines.json), on the
  // vendors it was fitted on.
  const int engine = static_cast<int>(s.engine);
  plan.engine_multipliers_applied = engine_multipliers_apply(engine, s.gpu.vendor);
  plan.efficiency = plan.engine_multipliers_applied ? for_engine(efficiency, engine) : efficiency;
  plan.shape = model_shape(s.model);
  plan.layout = parallel_layout(s, plan.shape);
  const ModelShape& shape = plan.shape;
  const ParallelLayout& layout = plan.layout;
  Diagnostics diagnostics;

  // Storage precision by part. Quantized checkpoints keep the embedding and LM head at 16 bits
  // (NVIDIA ModelOpt, llm-compressor and GPTQ defaults); 4-bit MoE checkpoints quantize only the
  // routed experts (gpt-oss MXFP4, NVFP4 DeepSeek-R1 keeps attention in FP8: we keep it at bf16,
  // overstating those bytes by ~1% of the model).
  plan.expert_weights = s.weights;
  plan.other_weights = s.weights;
  plan.embedding_weights = is_16_bit_or_wider(s.weights) ? s.weights : Precision::bf16;
  const bool four_bit = s.weights == Precision::int4 || s.weights == Precision::fp4;
  // A checkpoint that says which parts it quantized (the catalog's quantized_parts) is stored as
  // it says when the scenario runs its own precision; the other parts stay at bf16.
  const QuantizedParts* checkpoint = s.model.quantized_parts &&
                                             s.weights == s.model.default_weights &&
                                             !is_16_bit_or_wider(s.weights)
                                         ? &*s.model.quantized_parts
                                         : nullptr;
  auto part_precision = [&](bool quantized) { return quantized ? s.weights : Precision::bf16; };
  Precision attention_weights = s.weights;
  Precision dense_mlp_weights = s.weights;
  Precision shared_expert_weights = s.weights;
  if (checkpoint) {
    plan.expert_weights = part_precision(checkpoint->routed_experts);
    attention_weights = part_precision(checkpoint->attention);
    dense_mlp_weights = part_precision(checkpoint->dense_mlp);
    shared_expert_weights = part_precision(checkpoint->shared_experts);
    // Math of the non-expert GEMMs follows the bulk of them: quantized if any part is.
    plan.other_weights = part_precision(checkpoint->attention || checkpoint->dense_mlp ||
                                        checkpoint->shared_experts);
  } else if (s.model.moe && four_bit) {
    plan.other_weights = Precision::bf16;
    attention_weights = dense_mlp_weights = shared_expert_weights = Precision::bf16;
  }
  plan.kv_bytes_per_element = storage_bytes(s.kv_cache);

  const MathFormat expert_math = expert_math_format(plan.expert_weights, s.model, s.gpu);
  const MathFormat other_math = math_format(plan.other_weights, s.gpu);
  const MathFormat attention_math{sixteen_bit_format(s.gpu), false, false};
  auto expert_rate = rate_of(expert_math, s.gpu, diagnostics);
  auto other_rate = rate_of(other_math, s.gpu, diagnostics);
  auto attention_rate = rate_of(attention_math, s.gpu, diagnostics);
  const bool needs_link = s.tp > 1 || s.pp > 1 || s.ep > 1;
  if (needs_link && !s.gpu.scale_up_bytes_per_s_per_direction) {
    diagnostics.push_back({ErrorCode::unknown_figure, "/gpu",
                           s.gpu.id +
                               ": scale-up bandwidth is unknown in the catalog, so tp, pp or "
                               "ep > 1 cannot be estimated; give it in a custom catalog"});
  }
  if (!diagnostics.empty()) return diagnostics;
  // Amdahl's law for low-precision GEMMs: besides the tensor-core work at the format's rate, each
  // FLOP carries a share of work that runs at 16-bit speed whatever the format (epilogues,
  // activation quantization and scaling, data staging), so FP8 and FP4 deliver less than 2x and 4x
  // the BF16 rate, as measured (FP8 GEMMs run ~1.5-1.7x BF16 in practice).
  // Weight-only formats also dequantize every weight tile in registers before the 16-bit multiply
  // (Marlin, Frantar et al. 2024; AWQ/GPTQ kernels): more work at 16-bit speed per FLOP.
  auto effective = [&](double peak, const MathFormat& math) {
    const double share =
        efficiency.non_tensor_work_share + (math.weight_only ? efficiency.dequant_work_share : 0.0);
    return 1.0 / (1.0 / peak + share / *attention_rate);
  };
  plan.expert_flop_per_s = effective(*expert_rate, expert_math);
  // An engine whose FP8 fused-MoE kernels were timed on this chip runs the experts at the rate
  // they were timed at (assets/engines.json: fp8_expert_kernels). The rate is the block-scaled
  // kernels', which held at prompt and decode sizes alike; the scenario does not say how FP8
  // weights are scaled, and per-tensor-scaled kernels ran about 2x faster (kernel_notes.md).
  if (expert_math.precision == Precision::fp8 && !expert_math.w4a8) {
    if (const EngineProfile* timed = fp8_expert_kernels_timed_on(engine, s.gpu.id)) {
      plan.expert_flop_per_s *= timed->fp8_expert_compute_scale;
      plan.notes.push_back(timed->fp8_expert_note);
    }
  }
  plan.gemm_flop_per_s = effective(*other_rate, other_math);
  plan.attention_flop_per_s = effective(*attention_rate, attention_math);
  if (std::string note = estimated_figures_note(
          s.gpu, {expert_math.precision, other_math.precision, attention_math.precision},
          needs_link);
      !note.empty()) {
    plan.notes.push_back(note);
  }
  if (expert_math.fallback || other_math.fallback) {
    plan.notes.push_back(s.gpu.name + " has no " + std::string(to_string(s.weights)) +
                         " tensor math: weights are stored in " +
                         std::string(to_string(s.weights)) + " and multiplied at " +
                         std::string(to_string(other_math.precision.value_or(Precision::bf16))) +
                         " (weight-only quantization)");
  }
  if (s.weights == Precision::int4) {
    plan.notes.push_back("int4 is weight-only (W4A16): 4-bit weights, 16-bit multiplies");
  }
  if (expert_math.w4a8) {
    plan.notes.push_back(s.model.name +
                         "'s MXFP4 experts multiply with 8-bit (MXFP8) activations, at " +
                         s.gpu.name + "'s fp8 rate (W4A8, as the engines run them)");
  }
  if (checkpoint) {
    std::string kept;
    auto keep = [&](bool quantized, const char* part) {
      if (!quantized) kept += (kept.empty() ? "" : ", ") + std::string(part);
    };
    keep(checkpoint->attention, "attention");
    if (shape.num_dense_layers > 0) keep(checkpoint->dense_mlp, "dense FFNs");
    if (shape.shared_expert_params > 0) keep(checkpoint->shared_experts, "shared experts");
    if (s.model.moe) keep(checkpoint->routed_experts, "routed experts");
    if (!kept.empty()) {
      plan.notes.push_back("checkpoint layout: " + kept + " stored in bf16, the rest in " +
                           std::string(to_string(s.weights)));
    }
  } else if (s.model.moe && four_bit) {
    plan.notes.push_back("4-bit MoE checkpoint: routed experts in " +
                         std::string(to_string(s.weights)) + ", other layers in bf16");
  }

  // Devices one tensor-parallel group spans (tp on GPUs; tp / cores on AWS Neuron, where a
  // device holds `ranks` ranks): what is split, is split over these; what every rank holds in
  // full, a device holds `ranks` times.
  const double tp = layout.tp_gpus;
  const double ranks = layout.ranks_per_gpu;
  const double expert_bytes_each = storage_bytes(plan.expert_weights);
  const double other_bytes_each = storage_bytes(plan.other_weights);
  const double attention_bytes_each = storage_bytes(attention_weights);
  const double dense_mlp_bytes_each = storage_bytes(dense_mlp_weights);
  const double shared_expert_bytes_each = storage_bytes(shared_expert_weights);
  const double embedding_bytes_each = storage_bytes(plan.embedding_weights);
  const double num_experts = s.model.moe ? s.model.moe->num_experts : 0.0;
  const double local_fraction =
      s.model.sliding_window && s.model.num_layers > 0
          ? static_cast<double>(s.model.sliding_window->num_layers) / s.model.num_layers
          : 0.0;

  // Attention weights one GPU holds: TP splits heads, except the parts every rank replicates
  // (MLA down-projections; K/V projections when tp exceeds the KV heads). Padded heads (AWS
  // Neuron) are zero weights that are stored, read and multiplied like the others.
  const double per_head_params =
      shape.attention_params - shape.attention_replicated_params - shape.kv_projection_params;
  double attention_per_gpu =
      per_head_params / tp * layout.head_padding + shape.attention_replicated_params * ranks;
  double padded_params = per_head_params / tp * (layout.head_padding - 1);
  if (s.model.attention != AttentionKind::mla && s.model.num_kv_heads > 0) {
    const double kv_params =
        shape.kv_projection_params * layout.kv_heads_per_gpu / s.model.num_kv_heads;
    attention_per_gpu += kv_params;
    padded_params += kv_params * (1 - 1 / layout.kv_head_padding);
  }
  attention_per_gpu += shape.cross_attention_params / tp * layout.head_padding;
  padded_params += shape.cross_attention_params / tp * (layout.head_padding - 1);
  plan.padded_head_params_per_layer = padded_params;
  plan.padded_head_bytes_per_layer = padded_params * attention_bytes_each;
  if (layout.ranks_per_gpu > 1) {
    plan.notes.push_back("tp = " + std::to_string(s.tp) + " counts cores: " + s.gpu.name +
                         " runs " + std::to_string(layout.ranks_per_gpu) +
                         " tensor-parallel ranks per device, and per-GPU figures are per device");
  }
  if (layout.head_padding > 1 || layout.kv_head_padding > 1) {
    plan.notes.push_back(
        "attention heads padded from " + std::to_string(s.model.num_attention_heads) + " to " +
        std::to_string(layout.padded_heads) +
        (layout.kv_head_padding > 1 ? " (KV heads " + std::to_string(s.model.num_kv_heads) +
                                          " to " + std::to_string(layout.padded_kv_heads) + ")"
                                    : std::string()) +
        " to split them tp = " + std::to_string(s.tp) + " ways, as " + s.gpu.name +
        "'s engine does: the padded heads' weights, attention compute and KV cache cost real "
        "time and memory (breakdown: padded_heads_seconds)");
  }

  for (const StageLayers& stage : layout.stages) {
    StageWeights w;
    w.layers = stage.layers();
    w.moe_layers = stage.moe_layers;
    w.local_attention_layers = w.layers * local_fraction;
    w.global_attention_layers = w.layers - w.local_attention_layers;
    // Dense FFNs and shared experts are tensor-split; routers are small and replicated.
    const double dense_per_gpu = stage.dense_layers * shape.dense_mlp_params / tp;
    const double moe_fixed_per_gpu =
        stage.moe_layers * (shape.shared_expert_params / tp + shape.router_params * ranks);
    w.non_expert_matmul_params =
        stage.layers() * attention_per_gpu + dense_per_gpu + moe_fixed_per_gpu;
    // By part: routers (small) are stored like the other non-expert weights.
    w.non_expert_bytes =
        stage.layers() * attention_per_gpu * attention_bytes_each +
        dense_per_gpu * dense_mlp_bytes_each +
        stage.moe_layers * (shape.shared_expert_params / tp * shared_expert_bytes_each +
                            shape.router_params * ranks * other_bytes_each);
    w.experts_per_gpu = (num_experts + s.redundant_experts) / s.ep;
    w.expert_matmul_params = shape.expert_params / layout.moe_tp;
    w.expert_bytes = w.expert_matmul_params * expert_bytes_each;
    // The vocabulary is split over TP ranks (vocab-parallel embedding and LM head).
    if (stage.last) {
      w.lm_head_matmul_params = shape.lm_head_params / tp;
      w.lm_head_bytes = w.lm_head_matmul_params * embedding_bytes_each;
    }
    if (stage.first) w.embedding_bytes = shape.embedding_params / tp * embedding_bytes_each;
    // A tied LM head on a single stage is the embedding table itself: stored once.
    const bool shared_table = s.model.tie_word_embeddings && stage.first && stage.last;
    if (stage.first) w.encoder_bytes = shape.encoder_params / tp * other_bytes_each;
    w.total_bytes = w.non_expert_bytes + stage.moe_layers * w.experts_per_gpu * w.expert_bytes +
                    w.lm_head_bytes + (shared_table ? 0.0 : w.embedding_bytes) + w.encoder_bytes;
    plan.stages.push_back(w);
  }
  if (s.speculative.method != SpeculativeMethod::none) {
    Diagnostics proposer = plan_proposer(plan, efficiency);
    if (!proposer.empty()) return proposer;
  }
  if (s.prefill_gpus > 0) {
    Diagnostics pool = plan_prefill_pool(plan, efficiency);
    if (!pool.empty()) return pool;
  }
  return plan;
}

}  // namespace pertoken::detail
