// Numeric formats: names and storage cost per element (scale factors included; see precision.hpp).
#include "pertoken/catalog/precision.hpp"

namespace pertoken {

std::optional<Precision> parse_precision(std::string_view text) {
  for (Precision p : all_precisions) {
    if (to_string(p) == text) return p;
  }
  return std::nullopt;
}

std::string_view to_string(Precision precision) {
  switch (precision) {
    case Precision::fp32: return "fp32";
    case Precision::bf16: return "bf16";
    case Precision::fp16: return "fp16";
    case Precision::fp8: return "fp8";
    case Precision::int8: return "int8";
    case Precision::int4: return "int4";
    case Precision::fp4: return "fp4";
  }
  return "?";
}

double storage_bits(Precision precision) {
  switch (precision) {
    case Precision::fp32: return 32.0;
    case Precision::bf16:
    case Precision::fp16: return 16.0;
    case Precision::fp8:
    case Precision::int8: return 8.0;
    // 4-bit values + (16-bit scale + 4-bit zero point) per group of 128 (GPTQ/AWQ).
    case Precision::int4: return 4.0 + (16.0 + 4.0) / 128.0;
    // NVFP4: 4-bit E2M1 values + one FP8 (E4M3) scale per 16 elements.
    case Precision::fp4: return 4.0 + 8.0 / 16.0;
  }
  return 16.0;
}

}  // namespace pertoken
