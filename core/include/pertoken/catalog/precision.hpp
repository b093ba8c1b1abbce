// Numeric formats for weights, activations and the KV cache, and their storage cost.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace pertoken {

enum class Precision { fp32, bf16, fp16, fp8, int8, int4, fp4 };

inline constexpr std::array<Precision, 7> all_precisions = {
    Precision::fp32, Precision::bf16, Precision::fp16, Precision::fp8,
    Precision::int8, Precision::int4, Precision::fp4};

std::optional<Precision> parse_precision(std::string_view text);
std::string_view to_string(Precision precision);

// Bits stored per element, scale factors included:
// - int4: GPTQ/AWQ with one 16-bit scale and one 4-bit zero point per group of 128:
//   4 + (16 + 4) / 128 = 4.156 bits (AutoGPTQ/AutoAWQ default group size).
// - fp4: NVFP4, E2M1 values with one FP8 scale per 16 elements: 4 + 8/16 = 4.5 bits
//   (NVIDIA Blackwell docs). MXFP4 (gpt-oss) has one 8-bit scale per 32: 4.25 bits; we use
//   the NVFP4 figure for every fp4 checkpoint (NOTE: overstates MXFP4 weights by 6%; counting
//   4.25 moved the refit's shared per-layer overhead onto MoE layers, dense holdout 9.1% ->
//   11.8%, so it waits for a model whose overheads follow each architecture).
// - fp8 / int8: per-tensor or per-channel scales, negligible against the values.
double storage_bits(Precision precision);
inline double storage_bytes(Precision precision) { return storage_bits(precision) / 8.0; }

}  // namespace pertoken
