// The order in which a list sorts, ties kept in list order: one non-template sort behind the
// search's few rankings. Each std::stable_sort over its own element type and comparator compiled
// to ~1.6 KB gzipped of WebAssembly on the calculator's first view; this is compiled once.
#pragma once

#include <cstddef>
#include <vector>

namespace pertoken::detail {

// Positions 0..count-1 ordered by less(a, b); positions that compare equal keep their order.
// `less` must be a strict weak ordering (as std::stable_sort asks).
std::vector<std::size_t> stable_order(std::size_t count,
                                      bool (*less)(const void* context, std::size_t a,
                                                   std::size_t b),
                                      const void* context);

template <class Less>
std::vector<std::size_t> stable_order(std::size_t count, const Less& less) {
  return stable_order(
      count,
      [](const void* context, std::size_t a, std::size_t b) {
        return (*static_cast<const Less*>(context))(a, b);
      },
      &less);
}

// `items` rearranged into `order` (a permutation of its positions).
template <class T>
std::vector<T> reordered(std::vector<T>&& items, const std::vector<std::size_t>& order) {
  std::vector<T> out;
  out.reserve(items.size());
  for (std::size_t i : order) out.push_back(std::move(items[i]));
  return out;
}

}  // namespace pertoken::detail
