// The result's enumerations in words (see result_words.hpp).
#include "pertoken/text/result_words.hpp"

#include <utility>

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

std::string_view limit_reason_words(std::string_view id) {
  // The ids estimate() and the layout search write (serving/estimate.cpp,
  // search/layout_search.cpp).
  static constexpr std::pair<std::string_view, std::string_view> table[] = {
      {"kv_cache_capacity", "KV cache capacity"},
      {"engine_max_batch", "the engine's batch cap (max_batch_size)"},
      {"requested_concurrency", "the requested concurrency"},
      {"request_rate", "the arrival rate"},
      {"request_rate_exceeds_capacity", "arrivals beyond capacity"},
      {"weights_exceed_memory", "weights exceed memory"},
      {"kv_cache_exceeds_memory", "one request's KV cache exceeds memory"},
      {"prefill_weights_exceed_memory", "the prefill pool's weights exceed memory"},
      {"unknown_figure", "a figure the catalog lacks"},
      {"below_interactivity_floor", "below the interactivity floor"},
  };
  for (const auto& [known, text] : table) {
    if (known == id) return text;
  }
  return id;
}

}  // namespace pertoken
