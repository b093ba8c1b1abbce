// Internal: arrangement of GPUs into replicas and tensor/pipeline/expert groups.
#include "model/parallel_layout.hpp"

#include <algorithm>

namespace pertoken::detail {

// AWS NxD Inference's head counts for a tp-way split (modules/attention/gqa.py,
// get_shardable_head_counts): query heads padded up to a multiple of tp; KV heads as many as the
// padded query heads for MHA, replicated up to tp when tp is a multiple of them, else (GQA that tp
// does not fit) converted to MHA, one KV head per padded query head; left alone when tp divides.
void pad_heads(const Scenario& s, ParallelLayout& layout) {
  const int heads = s.model.num_attention_heads;
  const int kv = s.model.num_kv_heads;
  const int tp = s.tp;
  layout.padded_heads = heads;
  layout.padded_kv_heads = kv;
  if (!s.gpu.pads_attention_heads || heads <= 0) return;
  layout.padded_heads = (heads + tp - 1) / tp * tp;
  layout.head_padding = static_cast<double>(layout.padded_heads) / heads;
  if (s.model.attention == AttentionKind::mla || kv <= 0) return;
  if (kv == heads) {
    layout.padded_kv_heads = layout.padded_heads;
  } else if (kv < tp || kv % tp != 0) {
    layout.padded_kv_heads = tp % kv == 0 ? tp : layout.padded_heads;
  }
  const double unpadded_per_rank = std::max(1.0, static_cast<double>(kv) / tp);
  layout.kv_head_padding = layout.padded_kv_heads / static_cast<double>(tp) / unpadded_per_rank;
}

int attention_dp_ranks(int num_gpus, int tp, int pp, int ep) {
  return ep > 1 ? num_gpus / pp / tp : 1;
}

ParallelLayout parallel_layout(const Scenario& s, const ModelShape& shape) {
  ParallelLayout layout;
  layout.ranks_per_gpu = std::max(1, s.gpu.tp_cores_per_device);
  layout.tp_gpus = static_cast<double>(s.tp) / layout.ranks_per_gpu;
  pad_heads(s, layout);
  const int stage_gpus = s.num_gpus / s.pp;
  if (s.ep > 1) {
    // Expert parallelism spans every GPU of a pipeline stage, so the whole deployment is one
    // instance: attention runs tp-way inside num_gpus/(tp*pp) data-parallel ranks while each expert
    // group of ep GPUs splits every expert moe_tp ways (TensorRT-LLM's moe_tp x moe_ep mapping;
    // tp=1, ep=num_gpus is DeepSeek's attention-DP + EP "DEP").
    layout.instance_gpus = s.num_gpus;
    layout.replicas = 1;
    layout.attention_dp = attention_dp_ranks(s.num_gpus, s.tp, s.pp, s.ep);
    layout.moe_tp = stage_gpus / s.ep;
  } else {
    // Without expert parallelism, GPUs beyond tp*pp are independent replicas and experts are
    // tensor-split like any other FFN.
    // On multi-core devices an instance of tp x pp cores fills whole devices or shares one.
    const int instance_ranks = s.tp * s.pp;
    layout.instance_gpus = std::max(1, instance_ranks / layout.ranks_per_gpu);
    layout.replicas = s.num_gpus * layout.ranks_per_gpu / instance_ranks;
    layout.attention_dp = attention_dp_ranks(s.num_gpus, s.tp, s.pp, s.ep);
    layout.moe_tp = layout.tp_gpus;
  }

  if (s.model.attention == AttentionKind::mla) {
    // The MLA latent is shared by all heads, so every TP rank caches it in full.
    layout.kv_heads_per_gpu = layout.ranks_per_gpu;
    layout.kv_share_per_gpu = layout.ranks_per_gpu;
  } else {
    // Megatron-style TP splits KV heads; beyond the KV head count each head is replicated
    // (vLLM/TensorRT-LLM), so a GPU never holds less than one KV head.
    // Padded (AWS Neuron): padded_kv_heads / tp per rank, the same where padding changes nothing.
    const double kv_heads = s.model.num_kv_heads;
    const double per_rank = s.gpu.pads_attention_heads
                                ? static_cast<double>(layout.padded_kv_heads) / s.tp
                                : std::max(1.0, kv_heads / s.tp);
    layout.kv_heads_per_gpu = per_rank * layout.ranks_per_gpu;
    layout.kv_share_per_gpu = layout.kv_heads_per_gpu / kv_heads;
  }

  // Layers split as evenly as possible, earlier stages taking the remainder; the dense layers of
  // an MoE model come first, so they land on the first stage(s).
  const int num_layers = s.model.num_layers;
  int next_layer = 0;
  for (int stage = 0; stage < s.pp; ++stage) {
    const int count = num_layers / s.pp + (stage < num_layers % s.pp ? 1 : 0);
    StageLayers layers;
    const int dense_end = shape.num_dense_layers;
    const int first = next_layer;
    const int last = next_layer + count;  // exclusive
    layers.dense_layers = std::max(0, std::min(last, dense_end) - first);
    layers.moe_layers = count - layers.dense_layers;
    layers.first = stage == 0;
    layers.last = stage == s.pp - 1;
    layout.stages.push_back(layers);
    next_layer = last;
  }
  return layout;
}

}  // namespace pertoken::detail
