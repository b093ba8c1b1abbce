// Internal: the network between scale-up domains (NVLink/xGMI islands), which the catalog has no
// figure for. Every value here is a named guess from a public source; the KV cache between
// disaggregated pools crosses it, and so do collectives that span domains when modelled.
#pragma once

namespace pertoken::detail {

// One 400 Gb/s RDMA NIC per GPU, as in NVIDIA's HGX H100/H200/B200 reference designs (DGX H100
// datasheet: 8 x ConnectX-7 400 Gb/s), per direction.
inline constexpr double guessed_scale_out_bytes_per_s_per_gpu = 400e9 / 8;

// What collectives reach of it (the value to set EfficiencyFactors::scale_out_bytes_per_s_per_gpu
// to): "for NDR @ 400Gbps you should see 46-48GB/s per NIC" (an NCCL maintainer,
// github.com/NVIDIA/nccl-tests/issues/290, 2025-03); DeepEP's internode kernels measure 43-58 GB/s
// of ~50 on the same NIC (deepseek-ai/DeepEP README, normal kernels).
inline constexpr double guessed_scale_out_achieved_bytes_per_s_per_gpu = 46e9;

// Latency each network step adds to a small collective: NCCL's own tuning model charges 5 us per
// inter-node step of a tree all-reduce with the LL protocol (src/graph/tuning.cc, hwLat NET,
// github.com/NVIDIA/nccl at 01afd20), which a tree pays twice per doubling of nodes.
inline constexpr double network_step_latency_s = 5e-6;

}  // namespace pertoken::detail
