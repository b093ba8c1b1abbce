#include "search/stable_order.hpp"

#include <algorithm>
#include <numeric>

namespace pertoken::detail {

std::vector<std::size_t> stable_order(std::size_t count,
                                      bool (*less)(const void* context, std::size_t a,
                                                   std::size_t b),
                                      const void* context) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Ties broken by position make the order total, so the unstable sort gives the stable order.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (less(context, a, b)) return true;
    if (less(context, b, a)) return false;
    return a < b;
  });
  return order;
}

}  // namespace pertoken::detail
