// Stale data: every catalog figure carries the date it was true (`as_of`); prices move, specs do
// not. The core has no clock: callers pass today's date (the CLI from the system clock, the web
// page from the browser's Date), and the same date always gives the same answer.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/catalog/provenance.hpp"

namespace pertoken {

// The age rules. A price (any figure in US dollars: a GPU's reference_usd_per_gpu_hour and
// purchase_price_usd, every dollar figure of the price catalog) is stale when its as_of is more
// than this many months before today. Specs (capacity, bandwidth, rates, links, power, counts)
// never go stale: a chip's datasheet does not change after release.
inline constexpr int price_max_age_months = 6;
inline constexpr std::optional<int> spec_max_age_months = std::nullopt;

// The age rule of one figure, by its JSON pointer inside its entry ("/reference_usd_per_gpu_hour",
// "/spot_usd_per_gpu_hour"): price_max_age_months for a dollar figure, else spec_max_age_months.
std::optional<int> max_age_months(std::string_view figure_pointer);

// A calendar date. `as_of` dates are YYYY, YYYY-MM or YYYY-MM-DD and stand for the latest day they
// may mean (a figure "as of 2025-01" was true on 2025-01-31), so a coarse date never makes a
// figure look older than it is.
struct CalendarDate {
  int year = 0;
  int month = 1;  // 1-12
  int day = 1;    // 1-31, within the month
  friend auto operator<=>(const CalendarDate&, const CalendarDate&) = default;
};
// "YYYY-MM-DD" (a real day of the Gregorian calendar), else nullopt.
std::optional<CalendarDate> parse_today(std::string_view iso_date);
// "YYYY", "YYYY-MM" or "YYYY-MM-DD" as the latest day it may mean, else nullopt.
std::optional<CalendarDate> parse_as_of(std::string_view as_of);
// Whether a figure as of `as_of` is more than `months` months old on `today` (false when either
// date does not parse).
bool older_than(std::string_view as_of, CalendarDate today, int months);

struct StaleFigure {
  std::string section;  // gpus, or the price catalog's cloud, owned, operating, apis, grid
  std::string entry;    // which entry: "inferentia2", "h100-sxm AWS p5.48xlarge us-east-1"
  std::string figure;   // the figure's JSON pointer inside the entry: "/reference_usd_per_gpu_hour"
  Provenance provenance;  // as_of, source and note as the catalog gives them
  int max_age_months = 0;
};

// Every figure of `catalog` older than its age rule on `today` ("YYYY-MM-DD"): the GPUs' prices
// and, when the catalog has a price catalog, its rows' dollar figures (known or null: an unknown
// price as of long ago may be known now). In catalog order. Empty when `today` does not parse.
std::vector<StaleFigure> stale_figures(const Catalog& catalog, std::string_view today_iso_date);

// The same as JSON: [{"section", "entry", "figure", "as_of", "max_age_months", "source", "note"}].
std::string stale_figures_json(const std::vector<StaleFigure>& figures);

// The estimate's note when it prices the deployment with `gpu`'s catalog reference price (the
// scenario's usd_per_gpu_hour equals it) and that price is stale on `today`: "the price of X ($N
// per GPU-hour, the catalog's reference) is as of 2025-01, older than 6 months: ...". nullopt
// otherwise (another price given, no price, a fresh one, or `today` not a date).
std::optional<std::string> stale_price_note(const GpuSpec& gpu,
                                            const std::optional<double>& usd_per_gpu_hour,
                                            std::string_view today_iso_date);

}  // namespace pertoken
