// The result's enumerations in words for people, one wording for every door: the CLI's table, the
// app's panels and the web page (site/src/format.ts keeps a copy in the calculator's first view,
// which a browser test holds equal to the CLI's table).
#pragma once

#include <string_view>

#include "pertoken/serving/result.hpp"

namespace pertoken {

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
