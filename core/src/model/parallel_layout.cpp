// Internal: arrangement of GPUs into replicas and tensor/pipeline/expert groups.
#include "model/parallel_layout.hpp"

#include <algorithm>

namespace pertoken::detail {

ParallelLayout parallel_layout(const Scenario& s, const ModelShape& shape) {
  ParallelLayout layout;
  const int stage_gpus = s.num_gpus / s.pp;
  if (s.ep > 1) {
    // Expert parallelism spans every GPU of a pipeline stage, so the whole deployment is one
    // instance: attention runs tp-way inside num_gpus/(tp*pp) data-parallel ranks while each expert
    // group of ep GPUs splits every expert moe_tp ways (TensorRT-LLM's moe_tp x moe_ep mapping;
    // tp=1, ep=num_gpus is DeepSeek's attention-DP + EP "DEP").
    layout.instance_gpus = s.num_gpus;
    layout.replicas = 1;
    layout.attention_dp = stage_gpus / s.tp;
    layout.moe_tp = stage_gpus / s.ep;
  } else {
    // Without expert parallelism, GPUs beyond tp*pp are independent replicas and experts are
    // tensor-split like any other FFN.
    layout.instance_gpus = s.tp * s.pp;
    layout.replicas = s.num_gpus / layout.instance_gpus;
    layout.attention_dp = 1;
    layout.moe_tp = s.tp;
  }

  if (s.model.attention == AttentionKind::mla) {
    // The MLA latent is shared by all heads, so every TP rank caches it in full.
    layout.kv_heads_per_gpu = 1;
    layout.kv_share_per_gpu = 1;
  } else {
    // Megatron-style TP splits KV heads; beyond the KV head count each head is replicated
    // (vLLM/TensorRT-LLM), so a GPU never holds less than one KV head.
    const double kv_heads = s.model.num_kv_heads;
    layout.kv_heads_per_gpu = std::max(1.0, kv_heads / s.tp);
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
