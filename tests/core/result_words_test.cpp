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
