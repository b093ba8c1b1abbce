// The result's enumerations in words (see result_words.hpp).
#include "pertoken/text/result_words.hpp"

namespace pertoken {

std::string_view words(DecodeBound bound) {
  switch (bound) {
    case DecodeBound::memory_bandwidth: return "memory bandwidth";
    case DecodeBound::compute: return "compute";
    case DecodeBound::communication: return "communication";
    case DecodeBound::overhead: return "per-step overhead";
  }
  return "memory bandwidth";
}

std::string_view decode_bound_words(std::string_view id) {
  for (const DecodeBound b : {DecodeBound::memory_bandwidth, DecodeBound::compute,
                              DecodeBound::communication, DecodeBound::overhead}) {
    if (to_string(b) == id) return words(b);
  }
  return id;
}

}  // namespace pertoken
