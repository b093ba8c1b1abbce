// The charts module's math (native/app/charts.hpp): axis ranges, 1-2-5 ticks, log scales, the
// value under the cursor and tick labels. Expected values are worked out by hand in comments.
#include "charts.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace {

const double nan_value = std::numeric_limits<double>::quiet_NaN();

void require_ticks(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(actual[i] == Approx(expected[i]).epsilon(1e-12).margin(1e-15));
  }
}

}  // namespace

TEST_CASE("charts: data_range spans the finite values", "[charts]") {
  // NaN (a missing value) is skipped: {3, 1, 7} -> [1, 7].
  const std::vector<double> values = {3, nan_value, 1, 7};
  const charts::Range r = charts::data_range(values, false);
  CHECK(r.min == 1);
  CHECK(r.max == 7);
  // include_zero stretches [3, 7] down to 0.
  const std::vector<double> positive = {3, 7};
  CHECK(charts::data_range(positive, false, true).min == 0);
  CHECK(charts::data_range(positive, false, true).max == 7);
}

TEST_CASE("charts: data_range on a log axis keeps the positive values only", "[charts]") {
  // -1 and 0 have no place on a log axis: [10, 1000].
  const std::vector<double> values = {-1, 0, 10, 1000};
  const charts::Range r = charts::data_range(values, true);
  CHECK(r.min == 10);
  CHECK(r.max == 1000);
}

TEST_CASE("charts: data_range widens a single value and falls back without data", "[charts]") {
  // One value 5: 5 -/+ |5| / 2 = [2.5, 7.5]; one 0: [-1, 1].
  const std::vector<double> five = {5};
  CHECK(charts::data_range(five, false).min == 2.5);
  CHECK(charts::data_range(five, false).max == 7.5);
  const std::vector<double> zero = {0};
  CHECK(charts::data_range(zero, false).min == -1);
  CHECK(charts::data_range(zero, false).max == 1);
  // One value 100 on a log axis: half a decade either side, 100 / 10^0.5 = 31.62...,
  // 100 x 10^0.5 = 316.2...
  const std::vector<double> hundred = {100};
  CHECK(charts::data_range(hundred, true).min == Approx(31.6227766));
  CHECK(charts::data_range(hundred, true).max == Approx(316.227766));
  // Nothing usable: [0, 1] linear, [1, 10] log.
  const std::vector<double> none = {nan_value, -5};
  CHECK(charts::data_range(std::vector<double>{}, false).max == 1);
  CHECK(charts::data_range(none, true).min == 1);
  CHECK(charts::data_range(none, true).max == 10);
}

TEST_CASE("charts: data_range over several series", "[charts]") {
  const std::vector<std::vector<double>> series = {{2, 4}, {nan_value, 9}, {-3}};
  const charts::Range r = charts::data_range(series, false);
  CHECK(r.min == -3);
  CHECK(r.max == 9);
}

TEST_CASE("charts: tick_step is the smallest 1-2-5 step that fits the tick budget", "[charts]") {
  // [0, 7]: step 1 gives 0..7 = 8 ticks (fits 8); step 0.5 would give 15.
  CHECK(charts::tick_step({0, 7}, 8) == Approx(1));
  // [0, 7] with at most 5: step 1 gives 8 (too many), step 2 gives 0, 2, 4, 6 = 4.
  CHECK(charts::tick_step({0, 7}, 5) == Approx(2));
  // [0, 100] with at most 6: 10 gives 11 ticks, 20 gives 0..100 = 6.
  CHECK(charts::tick_step({0, 100}, 6) == Approx(20));
  // [0.013, 0.087] with at most 5: 0.01 gives 0.02..0.08 = 7, 0.02 gives 0.02..0.08 = 4.
  CHECK(charts::tick_step({0.013, 0.087}, 5) == Approx(0.02));
  // [-3, 3] with at most 3: 1 gives 7, 2 gives -2, 0, 2 = 3.
  CHECK(charts::tick_step({-3, 3}, 3) == Approx(2));
  // [0, 30] with at most 3: 10 gives 0, 10, 20, 30 = 4; 20 gives 0, 20 = 2. (5 x 10^k is next
  // after 2 x 10^k, and 50 also fits, but 20 is the smallest that does.)
  CHECK(charts::tick_step({0, 30}, 3) == Approx(20));
}

TEST_CASE("charts: nice_range widens to whole ticks", "[charts]") {
  // [0.013, 0.087] at step 0.02 -> [0, 0.1].
  const charts::Range a = charts::nice_range({0.013, 0.087}, 5);
  CHECK(a.min == Approx(0).margin(1e-15));
  CHECK(a.max == Approx(0.1));
  // [1, 7] at most 5 ticks: step 2 (1 gives 7 ticks) -> [0, 8].
  const charts::Range b = charts::nice_range({1, 7}, 5);
  CHECK(b.min == Approx(0).margin(1e-15));
  CHECK(b.max == Approx(8));
  // Already on ticks: [0, 100] stays.
  const charts::Range c = charts::nice_range({0, 100}, 6);
  CHECK(c.min == Approx(0).margin(1e-15));
  CHECK(c.max == Approx(100));
}

TEST_CASE("charts: linear_ticks lists the multiples of the step", "[charts]") {
  require_ticks(charts::linear_ticks({0, 7}, 5), {0, 2, 4, 6});
  require_ticks(charts::linear_ticks({-3, 3}, 3), {-2, 0, 2});
  require_ticks(charts::linear_ticks({0.013, 0.087}, 5), {0.02, 0.04, 0.06, 0.08});
  // 1,000 to 5,000 at most 5: step 1,000 -> 5 ticks.
  require_ticks(charts::linear_ticks({1000, 5000}, 5), {1000, 2000, 3000, 4000, 5000});
}

TEST_CASE("charts: nice_log_range widens to whole decades", "[charts]") {
  // [3, 4200] -> [10^0, 10^4].
  const charts::Range a = charts::nice_log_range({3, 4200});
  CHECK(a.min == Approx(1));
  CHECK(a.max == Approx(10000));
  // A range inside one power of ten keeps a decade: [100, 100] -> [100, 1000].
  const charts::Range b = charts::nice_log_range({100, 100});
  CHECK(b.min == Approx(100));
  CHECK(b.max == Approx(1000));
  // Exact decades stay: [0.01, 10].
  const charts::Range c = charts::nice_log_range({0.01, 10});
  CHECK(c.min == Approx(0.01));
  CHECK(c.max == Approx(10));
}

TEST_CASE("charts: log_ticks at 1-2-5, decades, or every n-th decade", "[charts]") {
  // [1, 100] with room for 10: 1, 2, 5, 10, 20, 50, 100 (7 ticks).
  require_ticks(charts::log_ticks({1, 100}, 10), {1, 2, 5, 10, 20, 50, 100});
  // [1, 1e6] with room for 10: 1-2-5 would be 3 x 6 + 1 = 19; the 7 decades fit.
  require_ticks(charts::log_ticks({1, 1e6}, 10), {1, 10, 100, 1e3, 1e4, 1e5, 1e6});
  // [1e-6, 1e6] with room for 5: 13 decades; every ceil(13 / 5) = 3rd, at multiples of 3:
  // 1e-6, 1e-3, 1, 1e3, 1e6.
  require_ticks(charts::log_ticks({1e-6, 1e6}, 5), {1e-6, 1e-3, 1, 1e3, 1e6});
  // [3, 40]: 5, 10, 20 (2 is below, 50 above).
  require_ticks(charts::log_ticks({3, 40}, 10), {5, 10, 20});
  // No positive range: no ticks.
  CHECK(charts::log_ticks({-1, 10}, 5).empty());
}

TEST_CASE("charts: to_fraction and from_fraction map values on linear and log axes", "[charts]") {
  CHECK(charts::to_fraction(5, {0, 10}, false) == Approx(0.5));
  CHECK(charts::to_fraction(-5, {0, 10}, false) == Approx(-0.5));
  // log10(10) is halfway between log10(1) = 0 and log10(100) = 2.
  CHECK(charts::to_fraction(10, {1, 100}, true) == Approx(0.5));
  // 1,000 is one decade past 100: (3 - 0) / 2 = 1.5.
  CHECK(charts::to_fraction(1000, {1, 100}, true) == Approx(1.5));
  CHECK(std::isinf(charts::to_fraction(0, {1, 100}, true)));
  // A quarter of the way from 10^0 to 10^4 is 10^1.
  CHECK(charts::from_fraction(0.25, {1, 10000}, true) == Approx(10));
  CHECK(charts::from_fraction(0.25, {0, 8}, false) == Approx(2));
}

TEST_CASE("charts: nearest_index finds the point under the cursor", "[charts]") {
  const std::vector<double> xs = {1, 10, 100, 1000};
  // Linear: 40 is 30 from 10 and 60 from 100 -> index 1.
  CHECK(charts::nearest_index(xs, 40, false) == std::optional<std::size_t>(1));
  // Log: log10(40) = 1.60 is 0.60 from 1 (10) and 0.40 from 2 (100) -> index 2.
  CHECK(charts::nearest_index(xs, 40, true) == std::optional<std::size_t>(2));
  // Beyond the ends: the last and the first.
  CHECK(charts::nearest_index(xs, 5000, false) == std::optional<std::size_t>(3));
  CHECK(charts::nearest_index(xs, -5, false) == std::optional<std::size_t>(0));
  // Missing x values are skipped; nothing usable gives nullopt.
  const std::vector<double> gappy = {nan_value, 5};
  CHECK(charts::nearest_index(gappy, 0, false) == std::optional<std::size_t>(1));
  const std::vector<double> non_positive = {0, -1};
  CHECK_FALSE(charts::nearest_index(non_positive, 1, true).has_value());
  CHECK_FALSE(charts::nearest_index(std::vector<double>{}, 1, false).has_value());
}

TEST_CASE("charts: format_tick writes as many decimals as the step needs", "[charts]") {
  CHECK(charts::format_tick(1500, 500) == "1,500");
  CHECK(charts::format_tick(-2500, 500) == "-2,500");
  CHECK(charts::format_tick(12, 2) == "12");
  CHECK(charts::format_tick(0.25, 0.05) == "0.25");
  CHECK(charts::format_tick(0.2, 0.1) == "0.2");
  CHECK(charts::format_tick(0, 1) == "0");
  // Large and small values in exponent form, three significant digits.
  CHECK(charts::format_tick(2e6, 1e6) == "2e+06");
  CHECK(charts::format_tick(1e-5, 1e-5) == "1e-05");
  CHECK(charts::format_tick(1234567, 1e6) == "1.23e+06");
}
