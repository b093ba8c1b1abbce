// The result's enumerations in words for people, one wording for every door: the CLI's table, the
// app's panels and the web page (site/src/format.ts keeps a copy in the calculator's first view,
// which a browser test holds equal to the CLI's table).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/result.hpp"

namespace pertoken {

// One row of an id-to-words table; words_for looks an id up in such a table, and an id the table
// lacks comes back as it is, so a door never shows less than the id itself.
using WordsRow = std::pair<std::string_view, std::string_view>;
std::string_view words_for(std::span<const WordsRow> table, std::string_view id);

// What a step carries, in words, said beside its time (its parts are the whole step's, the other
// requests' work included). The decode step: "323 decode tokens and 1,292 prompt tokens". The
// prefill: "one 2,000-token prompt, beside 322 decode tokens and 6,192 other requests' prompt
// tokens a step", with ", run whole (chunked prefill is off)" after the prompt where the scenario
// turns chunked prefill off.
std::string decode_step_carries_words(const StepBreakdown& step);
std::string prefill_carries_words(const StepBreakdown& prefill, const Scenario& scenario);

// What bounds a decode step: "memory bandwidth", "compute", "communication", "per-step overhead".
std::string_view words(DecodeBound bound);

// The same from the result JSON's `decode_bound` id ("memory_bandwidth" ...); an id it does not
// know comes back as it is.
std::string_view decode_bound_words(std::string_view id);

// What limits a deployment, from the result's `limit_reason` id or the layout search's reason for
// rejecting a layout ("kv_cache_capacity" -> "KV cache capacity", "below_interactivity_floor" ->
// "below the interactivity floor"); any other text (a diagnostic such as "/tp: ...") comes back as
// it is.
std::string_view limit_reason_words(std::string_view id);

}  // namespace pertoken
