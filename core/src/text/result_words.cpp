// The result's enumerations in words (see result_words.hpp).
#include "pertoken/text/result_words.hpp"

#include "pertoken/text/figure_text.hpp"

#include <utility>

namespace pertoken {

std::string_view words_for(std::span<const WordsRow> table, std::string_view id) {
  for (const auto& [known, text] : table) {
    if (known == id) return text;
  }
  return id;
}

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

namespace {
// Appended piece by piece: each `a + b + c` of strings inlines its own temporaries, and these
// words ship in the calculator's first view.
void append_tokens(std::string& out, double count, const char* what) {
  out += format_number(count);
  out += ' ';
  out += what;
  out += count == 1 ? " token" : " tokens";
}
}  // namespace

std::string decode_step_carries_words(const StepBreakdown& step) {
  std::string words;
  append_tokens(words, step.decode_tokens, "decode");
  if (step.prefill_tokens > 0) {
    words += " and ";
    append_tokens(words, step.prefill_tokens, "prompt");
  }
  return words;
}

std::string prefill_carries_words(const StepBreakdown& prefill, const Scenario& scenario) {
  // "one", not "a": an article would have to know that 8,000 reads "an eight thousand".
  std::string words = "one ";
  words += format_integer(prefill.prefill_tokens);
  words += "-token prompt";
  if (!scenario.chunked_prefill) words += ", run whole (chunked prefill is off)";
  const char* joint = ", beside ";
  if (prefill.decode_tokens > 0) {
    words += joint;
    append_tokens(words, prefill.decode_tokens, "decode");
    joint = " and ";
  }
  if (prefill.beside_prompt_tokens > 0) {
    words += joint;
    append_tokens(words, prefill.beside_prompt_tokens, "other requests' prompt");
    joint = "";
  }
  if (*joint != ',') words += " a step";
  return words;
}

std::string_view limit_reason_words(std::string_view id) {
  // The ids estimate() and the layout search write (serving/estimate.cpp,
  // search/layout_search.cpp).
  static constexpr WordsRow table[] = {
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
  return words_for(table, id);
}

}  // namespace pertoken
