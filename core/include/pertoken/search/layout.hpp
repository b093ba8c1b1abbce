// One serving instance's layout over devices: how many, and its tensor, pipeline and expert
// parallelism. The layout search ranks them; an estimate that does not fit names the smallest.
#pragma once

namespace pertoken {

struct Layout {
  int num_gpus = 1;
  int tp = 1;
  int pp = 1;
  int ep = 1;
  bool operator==(const Layout&) const = default;
};

}  // namespace pertoken
