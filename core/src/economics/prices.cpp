// The price catalog: JSON text -> PriceCatalog, strictly validated, every problem reported with
// its JSON path (assets/catalog/FORMAT.md, section "Prices"); the shipped catalog, parsed once;
// merging a user catalog's prices into it.
#include "pertoken/economics/prices.hpp"

#include <algorithm>
#include <initializer_list>
#include <tuple>
#include <utility>

#include "economics/price_entries.hpp"

namespace pertoken {

std::string_view to_string(ProviderClass provider_class) {
  switch (provider_class) {
    case ProviderClass::hyperscaler: return "hyperscaler";
    case ProviderClass::specialist: return "specialist";
    case ProviderClass::marketplace: return "marketplace";
  }
  return "hyperscaler";
}

std::optional<ProviderClass> parse_provider_class(std::string_view text) {
  for (ProviderClass c :
       {ProviderClass::hyperscaler, ProviderClass::specialist, ProviderClass::marketplace}) {
    if (to_string(c) == text) return c;
  }
  return std::nullopt;
}

namespace {

using detail::check_provenance_figures;
using detail::child_path;
using detail::Figure;
using detail::FigureRule;
using detail::Json;

// Upper bounds that only reject absurd magnitudes (typos of a few orders), not real prices.
constexpr double max_usd_per_device_hour = 1e4;
constexpr double max_usd_per_device = 1e7;
constexpr double max_usd_per_million_tokens = 1e4;
constexpr double max_interruptions_per_hour = 10;
constexpr double max_g_co2e_per_kwh = 5000;

constexpr FigureRule non_negative(double max, bool nullable = true) {
  FigureRule rule;
  rule.positive = false;
  rule.max = max;
  rule.nullable = nullable;
  return rule;
}

constexpr FigureRule positive(double max, bool nullable = true) {
  FigureRule rule;
  rule.positive = true;
  rule.max = max;
  rule.nullable = nullable;
  return rule;
}

// Catalog ids (accelerators, models, grid regions): the alphabet of assets/catalog/FORMAT.md.
bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  if (!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9'))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

// Reads the fields of one price row: strings, ids and figures, with the record-level source and
// as_of that plain numbers inherit.
struct RowReader {
  const Json& row;
  std::string path;
  Diagnostics& diagnostics;
  std::map<std::string, Provenance>& provenance;
  Provenance record;

  RowReader(const Json& row_in, std::string path_in, Diagnostics& diagnostics_in,
            std::map<std::string, Provenance>& provenance_in)
      : row(row_in),
        path(std::move(path_in)),
        diagnostics(diagnostics_in),
        provenance(provenance_in) {
    record.source = text("source", false);
    record.as_of = text("as_of", false);
  }

  std::string text(std::string_view key, bool required) {
    return detail::read_string(row, key, path, required, diagnostics).value_or("");
  }

  // A required display string that must not be empty ("provider").
  std::string name(std::string_view key) {
    auto value = detail::read_string(row, key, path, true, diagnostics);
    if (value && value->empty()) {
      diagnostics.push_back({ErrorCode::invalid_value, child_path(path, key), "must not be empty"});
    }
    return value.value_or("");
  }

  // A catalog id ("gpu", "model", "region").
  std::string id(std::string_view key, std::string_view what) {
    auto value = detail::read_string(row, key, path, true, diagnostics);
    if (value && !valid_id(*value)) {
      diagnostics.push_back({ErrorCode::invalid_value, child_path(path, key),
                             "must be " + std::string(what) +
                                 ": 1-64 characters of a-z, 0-9, '-', '.', '_', starting with a "
                                 "letter or digit"});
      return "";
    }
    return value.value_or("");
  }

  Figure figure(std::string_view key, const FigureRule& rule, bool required) {
    Figure f = detail::read_figure(row, key, path, rule, required, diagnostics);
    if (f.present) {
      Provenance p = f.provenance;
      if (p.source.empty()) p.source = record.source;
      if (p.as_of.empty()) p.as_of = record.as_of;
      provenance["/" + std::string(key)] = p;
    }
    return f;
  }
};

void expect_keys(const Json& row, const std::string& path,
                 std::initializer_list<std::string_view> allowed, Diagnostics& diagnostics) {
  detail::reject_unknown_keys(row, path, allowed, diagnostics);
}

CloudPrice parse_cloud(const Json& row, const std::string& path, Diagnostics& diagnostics) {
  CloudPrice price;
  if (!detail::expect_object(row, path, diagnostics)) return price;
  expect_keys(
      row, path,
      {"gpu", "provider", "provider_class", "instance", "region", "on_demand_usd_per_gpu_hour",
       "spot_usd_per_gpu_hour", "spot_interruptions_per_hour", "commit_1y_usd_per_gpu_hour",
       "commit_3y_usd_per_gpu_hour", "notes", "source", "as_of"},
      diagnostics);
  RowReader r(row, path, diagnostics, price.provenance);
  price.gpu = r.id("gpu", "an accelerator id");
  price.provider = r.name("provider");
  if (auto text = detail::read_string(row, "provider_class", path, true, diagnostics)) {
    if (auto c = parse_provider_class(*text)) {
      price.provider_class = *c;
    } else {
      diagnostics.push_back({ErrorCode::invalid_value, child_path(path, "provider_class"),
                             "must be one of hyperscaler, specialist, marketplace"});
    }
  }
  price.instance = r.text("instance", false);
  price.region = r.text("region", false);
  price.notes = r.text("notes", false);

  bool all_valid = true;
  auto price_figure = [&](std::string_view key) {
    Figure f = r.figure(key, non_negative(max_usd_per_device_hour), false);
    all_valid = all_valid && f.valid;
    return f.value;
  };
  price.on_demand_usd_per_gpu_hour = price_figure("on_demand_usd_per_gpu_hour");
  price.spot_usd_per_gpu_hour = price_figure("spot_usd_per_gpu_hour");
  price.commit_1y_usd_per_gpu_hour = price_figure("commit_1y_usd_per_gpu_hour");
  price.commit_3y_usd_per_gpu_hour = price_figure("commit_3y_usd_per_gpu_hour");
  Figure interruptions =
      r.figure("spot_interruptions_per_hour", non_negative(max_interruptions_per_hour), false);
  price.spot_interruptions_per_hour = interruptions.value;

  if (all_valid && !price.on_demand_usd_per_gpu_hour && !price.spot_usd_per_gpu_hour &&
      !price.commit_1y_usd_per_gpu_hour && !price.commit_3y_usd_per_gpu_hour) {
    diagnostics.push_back({ErrorCode::inconsistent, path,
                           "needs at least one known price: on_demand_usd_per_gpu_hour, "
                           "spot_usd_per_gpu_hour, commit_1y_usd_per_gpu_hour or "
                           "commit_3y_usd_per_gpu_hour"});
  }
  if (interruptions.present && row.find("spot_usd_per_gpu_hour") == row.end()) {
    diagnostics.push_back({ErrorCode::inconsistent, child_path(path, "spot_interruptions_per_hour"),
                           "is given, so spot_usd_per_gpu_hour must be given too"});
  }
  return price;
}

OwnedPrice parse_owned(const Json& row, const std::string& path, Diagnostics& diagnostics) {
  OwnedPrice price;
  if (!detail::expect_object(row, path, diagnostics)) return price;
  expect_keys(row, path,
              {"gpu", "purchase_usd_per_gpu", "server_usd_per_gpu", "notes", "source", "as_of"},
              diagnostics);
  RowReader r(row, path, diagnostics, price.provenance);
  price.gpu = r.id("gpu", "an accelerator id");
  r.text("notes", false);
  price.purchase_usd_per_gpu =
      r.figure("purchase_usd_per_gpu", positive(max_usd_per_device, false), true).value.value_or(0);
  price.server_usd_per_gpu =
      r.figure("server_usd_per_gpu", non_negative(max_usd_per_device, false), false)
          .value.value_or(0);
  return price;
}

OperatingCosts parse_operating(const Json& object, const std::string& path,
                               Diagnostics& diagnostics) {
  OperatingCosts costs;
  if (!detail::expect_object(object, path, diagnostics)) return costs;
  expect_keys(object, path,
              {"pue", "usd_per_kwh", "hosting_usd_per_kw_month", "operations_usd_per_gpu_month",
               "depreciation_years", "cost_of_capital_per_year", "server_power_w_per_gpu", "notes",
               "source", "as_of"},
              diagnostics);
  RowReader r(object, path, diagnostics, costs.provenance);
  r.text("notes", false);
  auto read = [&](std::string_view key, const FigureRule& rule, double& into) {
    if (auto value = r.figure(key, rule, false).value) into = *value;
  };
  // PUE: total facility power over IT power, so never below 1.
  if (auto pue = r.figure("pue", positive(10, false), false).value) {
    if (*pue < 1) {
      diagnostics.push_back({ErrorCode::out_of_range, child_path(path, "pue"),
                             "must be >= 1 (facility power / IT power)"});
    } else {
      costs.pue = *pue;
    }
  }
  read("usd_per_kwh", non_negative(10, false), costs.usd_per_kwh);
  read("hosting_usd_per_kw_month", non_negative(1e5, false), costs.hosting_usd_per_kw_month);
  read("operations_usd_per_gpu_month", non_negative(1e6, false),
       costs.operations_usd_per_gpu_month);
  read("depreciation_years", positive(100, false), costs.depreciation_years);
  read("cost_of_capital_per_year", non_negative(1, false), costs.cost_of_capital_per_year);
  read("server_power_w_per_gpu", non_negative(1e5, false), costs.server_power_w_per_gpu);
  return costs;
}

ApiPrice parse_api(const Json& row, const std::string& path, Diagnostics& diagnostics) {
  ApiPrice price;
  if (!detail::expect_object(row, path, diagnostics)) return price;
  expect_keys(row, path,
              {"model", "provider", "usd_per_million_input_tokens", "usd_per_million_output_tokens",
               "usd_per_million_cached_input_tokens", "notes", "source", "as_of"},
              diagnostics);
  RowReader r(row, path, diagnostics, price.provenance);
  price.model = r.id("model", "a model id");
  price.provider = r.name("provider");
  price.notes = r.text("notes", false);
  const FigureRule rule = non_negative(max_usd_per_million_tokens, false);
  price.usd_per_million_input_tokens =
      r.figure("usd_per_million_input_tokens", rule, true).value.value_or(0);
  price.usd_per_million_output_tokens =
      r.figure("usd_per_million_output_tokens", rule, true).value.value_or(0);
  Figure cached = r.figure("usd_per_million_cached_input_tokens",
                           non_negative(max_usd_per_million_tokens), false);
  price.usd_per_million_cached_input_tokens = cached.value;
  if (cached.value && *cached.value > price.usd_per_million_input_tokens &&
      row.find("usd_per_million_input_tokens") != row.end()) {
    diagnostics.push_back(
        {ErrorCode::inconsistent, child_path(path, "usd_per_million_cached_input_tokens"),
         "must be <= usd_per_million_input_tokens (a cache hit never costs more)"});
  }
  return price;
}

GridIntensity parse_grid(const Json& row, const std::string& path, Diagnostics& diagnostics) {
  GridIntensity grid;
  if (!detail::expect_object(row, path, diagnostics)) return grid;
  expect_keys(row, path, {"region", "name", "g_co2e_per_kwh", "notes", "source", "as_of"},
              diagnostics);
  RowReader r(row, path, diagnostics, grid.provenance);
  grid.region = r.id("region", "a region id");
  grid.name = r.text("name", false);
  r.text("notes", false);
  grid.g_co2e_per_kwh =
      r.figure("g_co2e_per_kwh", non_negative(max_g_co2e_per_kwh, false), true).value.value_or(0);
  return grid;
}

template <class Row, class Parse>
std::vector<Row> parse_rows(const Json& object, std::string_view key, const std::string& path,
                            Parse parse, Diagnostics& diagnostics) {
  std::vector<Row> rows;
  auto it = object.find(key);
  if (it == object.end()) return rows;
  const std::string at = child_path(path, key);
  if (!it->is_array()) {
    diagnostics.push_back({ErrorCode::wrong_type, at,
                           "must be an array, not " + std::string(detail::type_name(*it))});
    return rows;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    rows.push_back(parse((*it)[i], child_path(at, i), diagnostics));
  }
  return rows;
}

// The identity of a row: two rows of one document with the same key are an error, and a user
// catalog's row replaces the shipped row with the same key.
auto key_of(const CloudPrice& p) { return std::tie(p.gpu, p.provider, p.instance, p.region); }
auto key_of(const OwnedPrice& p) { return std::tie(p.gpu); }
auto key_of(const ApiPrice& p) { return std::tie(p.model, p.provider); }
auto key_of(const GridIntensity& g) { return std::tie(g.region); }

std::string describe(const CloudPrice& p) {
  return "gpu '" + p.gpu + "', provider '" + p.provider + "', instance '" + p.instance +
         "' and region '" + p.region + "'";
}
std::string describe(const OwnedPrice& p) { return "gpu '" + p.gpu + "'"; }
std::string describe(const ApiPrice& p) {
  return "model '" + p.model + "' and provider '" + p.provider + "'";
}
std::string describe(const GridIntensity& g) { return "region '" + g.region + "'"; }

template <class Row>
void check_unique(const std::vector<Row>& rows, const std::string& array_path,
                  Diagnostics& diagnostics) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (key_of(rows[i]) == key_of(rows[j])) {
        diagnostics.push_back(
            {ErrorCode::duplicate_id, child_path(array_path, i),
             "repeats " + child_path(array_path, j) + " (same " + describe(rows[i]) + ")"});
        break;
      }
    }
  }
}

template <class Row>
void check_rows_provenance(const std::vector<Row>& rows, const std::string& array_path,
                           Diagnostics& diagnostics) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_provenance_figures(rows[i].provenance, child_path(array_path, i), diagnostics);
  }
}

template <class Row>
void merge_rows(std::vector<Row>& base, const std::vector<Row>& overlay) {
  for (const Row& row : overlay) {
    auto it = std::find_if(base.begin(), base.end(),
                           [&](const Row& b) { return key_of(b) == key_of(row); });
    if (it != base.end()) {
      *it = row;
    } else {
      base.push_back(row);
    }
  }
}

}  // namespace

namespace detail {

PriceCatalog parse_price_object(const Json& object, const std::string& path, bool standalone,
                                Diagnostics& diagnostics) {
  PriceCatalog prices;
  if (!expect_object(object, path, diagnostics)) return prices;
  if (standalone) {
    reject_unknown_keys(
        object, path, {"$schema", "schema_version", "cloud", "owned", "operating", "apis", "grid"},
        diagnostics);
    if (auto version = object.find("schema_version"); version != object.end()) {
      as_integer(*version, child_path(path, "schema_version"), 1, 1, diagnostics);
    }
  } else {
    reject_unknown_keys(object, path, {"cloud", "owned", "operating", "apis", "grid"}, diagnostics);
  }
  prices.cloud = parse_rows<CloudPrice>(object, "cloud", path, parse_cloud, diagnostics);
  prices.owned = parse_rows<OwnedPrice>(object, "owned", path, parse_owned, diagnostics);
  if (auto operating = object.find("operating"); operating != object.end()) {
    prices.operating = parse_operating(*operating, child_path(path, "operating"), diagnostics);
  }
  prices.apis = parse_rows<ApiPrice>(object, "apis", path, parse_api, diagnostics);
  prices.grid = parse_rows<GridIntensity>(object, "grid", path, parse_grid, diagnostics);
  check_unique(prices.cloud, child_path(path, "cloud"), diagnostics);
  check_unique(prices.owned, child_path(path, "owned"), diagnostics);
  check_unique(prices.apis, child_path(path, "apis"), diagnostics);
  check_unique(prices.grid, child_path(path, "grid"), diagnostics);
  return prices;
}

void check_price_provenance(const PriceCatalog& prices, const std::string& path,
                            Diagnostics& diagnostics) {
  check_rows_provenance(prices.cloud, child_path(path, "cloud"), diagnostics);
  check_rows_provenance(prices.owned, child_path(path, "owned"), diagnostics);
  check_provenance_figures(prices.operating.provenance, child_path(path, "operating"), diagnostics);
  check_rows_provenance(prices.apis, child_path(path, "apis"), diagnostics);
  check_rows_provenance(prices.grid, child_path(path, "grid"), diagnostics);
}

}  // namespace detail

Result<PriceCatalog> parse_price_catalog(std::string_view json_text) {
  Diagnostics diagnostics;
  std::optional<detail::Json> document = detail::parse_json(json_text, diagnostics);
  if (!document) return diagnostics;
  PriceCatalog prices = detail::parse_price_object(*document, "", true, diagnostics);
  if (!diagnostics.empty()) return diagnostics;
  return prices;
}

Diagnostics check_price_provenance(std::string_view json_text) {
  Result<PriceCatalog> parsed = parse_price_catalog(json_text);
  if (!parsed.ok()) return parsed.diagnostics();
  Diagnostics diagnostics;
  detail::check_price_provenance(parsed.value(), "", diagnostics);
  return diagnostics;
}

PriceCatalog merge_prices(PriceCatalog base, const PriceCatalog& overlay) {
  merge_rows(base.cloud, overlay.cloud);
  merge_rows(base.owned, overlay.owned);
  merge_rows(base.apis, overlay.apis);
  merge_rows(base.grid, overlay.grid);
  // Only the operating figures the overlay gave (those with a provenance entry) replace.
  const OperatingCosts& from = overlay.operating;
  OperatingCosts& to = base.operating;
  auto take = [&](const char* key, double OperatingCosts::*field) {
    auto it = from.provenance.find(key);
    if (it == from.provenance.end()) return;
    to.*field = from.*field;
    to.provenance[key] = it->second;
  };
  take("/pue", &OperatingCosts::pue);
  take("/usd_per_kwh", &OperatingCosts::usd_per_kwh);
  take("/hosting_usd_per_kw_month", &OperatingCosts::hosting_usd_per_kw_month);
  take("/operations_usd_per_gpu_month", &OperatingCosts::operations_usd_per_gpu_month);
  take("/depreciation_years", &OperatingCosts::depreciation_years);
  take("/cost_of_capital_per_year", &OperatingCosts::cost_of_capital_per_year);
  take("/server_power_w_per_gpu", &OperatingCosts::server_power_w_per_gpu);
  return base;
}

namespace {
struct Embedded {
  PriceCatalog prices;
  Diagnostics diagnostics;
};

const Embedded& embedded() {
  static const Embedded instance = [] {
    Embedded result;
    Result<PriceCatalog> parsed = parse_price_catalog(embedded_prices_json());
    if (parsed.ok()) {
      result.prices = std::move(parsed).value();
    } else {
      result.diagnostics = parsed.diagnostics();
    }
    return result;
  }();
  return instance;
}
}  // namespace

const PriceCatalog& embedded_prices() { return embedded().prices; }
const Diagnostics& embedded_prices_diagnostics() { return embedded().diagnostics; }

}  // namespace pertoken
