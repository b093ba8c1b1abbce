// How many published runs a regime needs before the core draws figures from them.
#pragma once

namespace pertoken {

// The fewest published runs of one regime whose residuals give its own uncertainty band
// (uncertainty.cpp; fewer, and the pooled band is used), and the fewest dense runs an engine
// profile needs before its overheads on a dense model are more than a guess (engine_profile.hpp).
inline constexpr int min_runs_per_regime = 5;

}  // namespace pertoken
