// Stale data: which catalog figures are older than their age rule on a date the caller gives.
#include "pertoken/catalog/staleness.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "pertoken/text/figure_text.hpp"

namespace pertoken {
namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

// The digits text[from, from + count) as a number, or -1 when any is not a digit.
int digits(std::string_view text, std::size_t from, std::size_t count) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// YYYY, YYYY-MM or YYYY-MM-DD; a missing month or day is nullopt in the result's fields.
struct DateParts {
  int year = -1;
  std::optional<int> month;
  std::optional<int> day;
};

std::optional<DateParts> parse_parts(std::string_view text) {
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
  DateParts parts;
  parts.year = digits(text, 0, 4);
  if (parts.year < 1) return std::nullopt;
  if (text.size() >= 7) {
    const int month = text[4] == '-' ? digits(text, 5, 2) : -1;
    if (month < 1 || month > 12) return std::nullopt;
    parts.month = month;
  }
  if (text.size() == 10) {
    const int day = text[7] == '-' ? digits(text, 8, 2) : -1;
    if (day < 1 || day > days_in_month(parts.year, *parts.month)) return std::nullopt;
    parts.day = day;
  }
  return parts;
}

CalendarDate add_months(CalendarDate date, int months) {
  const int index = date.year * 12 + (date.month - 1) + months;
  date.year = index / 12;
  date.month = index % 12 + 1;
  date.day = std::min(date.day, days_in_month(date.year, date.month));
  return date;
}

std::string join(std::initializer_list<std::string_view> words) {
  std::string text;
  for (std::string_view w : words) {
    if (w.empty()) continue;
    text += (text.empty() ? "" : " ") + std::string(w);
  }
  return text;
}

// Adds the stale figures of one entry's provenance map.
void collect(std::vector<StaleFigure>& into, std::string_view section, const std::string& entry,
             const std::map<std::string, Provenance>& provenance, CalendarDate today) {
  for (const auto& [key, p] : provenance) {
    const std::optional<int> limit = max_age_months(key);
    if (limit && older_than(p.as_of, today, *limit)) {
      into.push_back({std::string(section), entry, key, p, *limit});
    }
  }
}

template <class Row, class Name>
void collect_rows(std::vector<StaleFigure>& into, std::string_view section,
                  const std::vector<Row>& rows, Name name, CalendarDate today) {
  for (const Row& row : rows) collect(into, section, name(row), row.provenance, today);
}

}  // namespace

std::optional<int> max_age_months(std::string_view figure_pointer) {
  // Dollar figures are named for their unit: "usd_per_...", "..._usd", "..._usd_per_...".
  const std::string_view name = figure_pointer.substr(figure_pointer.rfind('/') + 1);
  const bool dollars = name == "usd" || name.starts_with("usd_") || name.ends_with("_usd") ||
                       name.find("_usd_") != std::string_view::npos;
  return dollars ? std::optional<int>(price_max_age_months) : spec_max_age_months;
}

std::optional<CalendarDate> parse_today(std::string_view iso_date) {
  const std::optional<DateParts> parts = parse_parts(iso_date);
  if (!parts || !parts->day) return std::nullopt;
  return CalendarDate{parts->year, *parts->month, *parts->day};
}

std::optional<CalendarDate> parse_as_of(std::string_view as_of) {
  const std::optional<DateParts> parts = parse_parts(as_of);
  if (!parts) return std::nullopt;
  const int month = parts->month.value_or(12);
  return CalendarDate{parts->year, month, parts->day.value_or(days_in_month(parts->year, month))};
}

bool older_than(std::string_view as_of, CalendarDate today, int months) {
  const std::optional<CalendarDate> date = parse_as_of(as_of);
  return date && today > add_months(*date, months);
}

std::vector<StaleFigure> stale_figures(const Catalog& catalog, std::string_view today_iso_date) {
  std::vector<StaleFigure> stale;
  const std::optional<CalendarDate> today = parse_today(today_iso_date);
  if (!today) return stale;
  for (const GpuSpec& gpu : catalog.gpus) collect(stale, "gpus", gpu.id, gpu.provenance, *today);
  const PriceCatalog& prices = catalog.prices;
  auto cloud = [](const CloudPrice& r) { return join({r.gpu, r.provider, r.instance, r.region}); };
  auto owned = [](const OwnedPrice& r) { return r.gpu; };
  auto api = [](const ApiPrice& r) { return join({r.model, r.provider}); };
  auto grid = [](const GridIntensity& r) { return r.region; };
  collect_rows(stale, "cloud", prices.cloud, cloud, *today);
  collect_rows(stale, "owned", prices.owned, owned, *today);
  collect(stale, "operating", "operating", prices.operating.provenance, *today);
  collect_rows(stale, "apis", prices.apis, api, *today);
  collect_rows(stale, "grid", prices.grid, grid, *today);
  return stale;
}

std::string stale_figures_json(const std::vector<StaleFigure>& figures) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StaleFigure& f : figures) {
    list.push_back({{"section", f.section},
                    {"entry", f.entry},
                    {"figure", f.figure},
                    {"as_of", f.provenance.as_of},
                    {"max_age_months", f.max_age_months},
                    {"source", f.provenance.source},
                    {"note", f.provenance.note}});
  }
  return list.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::optional<std::string> stale_price_note(const GpuSpec& gpu,
                                            const std::optional<double>& usd_per_gpu_hour,
                                            std::string_view today_iso_date) {
  const std::optional<CalendarDate> today = parse_today(today_iso_date);
  auto p = gpu.provenance.find("/reference_usd_per_gpu_hour");
  if (!today || !usd_per_gpu_hour || !gpu.reference_usd_per_hour ||
      *usd_per_gpu_hour != *gpu.reference_usd_per_hour || p == gpu.provenance.end() ||
      !older_than(p->second.as_of, *today, price_max_age_months)) {
    return std::nullopt;
  }
  return "the price of " + gpu.name + " (" + format_usd(*usd_per_gpu_hour) +
         " per GPU-hour, the catalog's reference) is as of " + p->second.as_of + ", older than " +
         std::to_string(price_max_age_months) +
         " months: prices move, so check the current one and give it in /usd_per_gpu_hour";
}

}  // namespace pertoken
