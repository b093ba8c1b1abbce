// The result's enumerations in words: one wording for the CLI's table, the app and the page.
#include <catch2/catch.hpp>

#include "pertoken/text/result_words.hpp"

using namespace pertoken;

TEST_CASE("words: what bounds a decode step, said as people read it", "[text]") {
  CHECK(words(DecodeBound::memory_bandwidth) == "memory bandwidth");
  CHECK(words(DecodeBound::compute) == "compute");
  CHECK(words(DecodeBound::communication) == "communication");
  CHECK(words(DecodeBound::overhead) == "per-step overhead");
  // From the result JSON's ids, as the app reads them.
  CHECK(decode_bound_words("memory_bandwidth") == "memory bandwidth");
  CHECK(decode_bound_words("overhead") == "per-step overhead");
  // An id this build does not know (a newer result file) is shown as it is, never blank.
  CHECK(decode_bound_words("pcie") == "pcie");
}

TEST_CASE("words: what limits a deployment, from the result's limit_reason", "[text]") {
  CHECK(limit_reason_words("kv_cache_capacity") == "KV cache capacity");
  CHECK(limit_reason_words("engine_max_batch") == "the engine's batch cap (max_batch_size)");
  CHECK(limit_reason_words("requested_concurrency") == "the requested concurrency");
  CHECK(limit_reason_words("request_rate") == "the arrival rate");
  CHECK(limit_reason_words("request_rate_exceeds_capacity") == "arrivals beyond capacity");
  CHECK(limit_reason_words("weights_exceed_memory") == "weights exceed memory");
  CHECK(limit_reason_words("kv_cache_exceeds_memory") == "one request's KV cache exceeds memory");
  CHECK(limit_reason_words("prefill_weights_exceed_memory") ==
        "the prefill pool's weights exceed memory");
  CHECK(limit_reason_words("unknown_figure") == "a figure the catalog lacks");
  CHECK(limit_reason_words("below_interactivity_floor") == "below the interactivity floor");
  // A diagnostic the layout search keeps as its reason is already words.
  CHECK(limit_reason_words("/tp: must divide num_gpus") == "/tp: must divide num_gpus");
}
