// "Why this number": the calculator's headline figures explained in words from a result, one
// wording for every door. The app's panel and `pertoken estimate --why` print these lines; the web
// page's site/src/why.ts keeps a copy (it draws links to the catalog's sources inside them, and the
// panel is part of the page's first view), which a browser test holds equal to the CLI's lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pertoken/scenario/scenario.hpp"

namespace pertoken {

struct WhyLine {
  // A heading names the figure ("Time per output token: 23.8 ms"); an item is one part of a step's
  // time ("weight reads: 5.27 ms", "= 42.0 ms per step").
  enum class Kind { heading, paragraph, item };
  Kind kind = Kind::paragraph;
  std::string text;
};

// The sections in order: "decode", "prefill", "dollars" and, where the result says what a request
// reserves of the KV cache, "batch"; a deployment that does not run has one section, "no-fit".
struct WhySection {
  std::string id;
  std::vector<WhyLine> lines;
};

// From the result JSON (`estimate_to_json`'s text, as every door holds it) and the scenario it is
// the result of, whose accelerator's peak memory bandwidth the achieved one is said against (the
// scenario's, since an inline accelerator need not be the catalog's). Empty when the text is not
// a result.
std::vector<WhySection> why_this_number(std::string_view result_json, const Scenario& scenario);

}  // namespace pertoken
