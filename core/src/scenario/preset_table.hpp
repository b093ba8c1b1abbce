// The workload presets' one table (presets.hpp says what a preset is). Internal: fields.cpp takes
// the ids for the "preset" field's accepted words, presets.cpp serves the rest.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "pertoken/scenario/presets.hpp"

namespace pertoken::detail {

// The lengths and targets are named guesses from common practice, each with its reason; a user
// who knows their traffic overrides them field by field.
// clang-format off
inline constexpr WorkloadPreset preset_table[] = {
    {"chat", "Chat", 1000, 300, 1.0, 0.05,
     "a conversation turn: system prompt and history in, a few paragraphs out; people wait for "
     "the first word, then read as it streams (20 tokens/s outpaces reading)"},
    {"rag", "RAG with long prompts", 8000, 300, 2.0, 0.05,
     "retrieved passages (about ten 800-token chunks) and a question in, a short grounded answer "
     "out; the long prompt dominates the wait for the first token"},
    {"code-completion", "Code completion", 1500, 50, 0.3, 0.02,
     "the code around the cursor in, a line or a small block out; a suggestion helps only if it "
     "appears before the next keystroke"},
    {"batch-summarisation", "Batch summarisation", 4000, 400, 30.0, 0.2,
     "documents in, summaries out, offline: nobody waits on one request, so cost per token "
     "matters and the latency target is loose"},
    {"reasoning", "Reasoning, long outputs", 1000, 8000, 2.0, 0.03,
     "a short problem in, a long chain of thought out: time per output token sets the wait "
     "(8,000 tokens at 30 ms is 4 minutes)"},
};
// clang-format on

inline constexpr std::size_t num_presets = std::size(preset_table);

// The "preset" field's accepted words: none, then every preset's id.
inline constexpr std::array<std::string_view, num_presets + 1> preset_words = [] {
  std::array<std::string_view, num_presets + 1> words{"none"};
  for (std::size_t i = 0; i < num_presets; ++i) words[i + 1] = preset_table[i].id;
  return words;
}();

}  // namespace pertoken::detail
