// The price catalog: every way to pay for tokens, as data with a public source and a date for
// each figure (assets/catalog/prices.json, embedded in the core; a user catalog file may carry a
// "prices" object that extends it). Cloud prices by provider and provider class (on-demand, spot
// with its interruption rate, 1- and 3-year commitments), owned hardware (purchase, the server's
// share), operating costs (power, PUE, hosting, operations, depreciation, cost of capital),
// serverless API prices for catalog models, and grid carbon intensity by region.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/diagnostics.hpp"

namespace pertoken {

// hyperscaler (AWS, Azure, Google Cloud, Oracle), specialist (CoreWeave, Lambda, Nebius, Crusoe,
// TensorWave, Vultr...), marketplace (RunPod, Vast.ai...).
enum class ProviderClass { hyperscaler, specialist, marketplace };
std::string_view to_string(ProviderClass provider_class);
std::optional<ProviderClass> parse_provider_class(std::string_view text);

// One provider's offer of one accelerator, per device-hour.
struct CloudPrice {
  std::string gpu;       // catalog accelerator id
  std::string provider;  // "AWS", "Lambda", ...
  ProviderClass provider_class = ProviderClass::hyperscaler;
  std::string instance;  // "p5.48xlarge" (display)
  std::string region;    // "us-east-1" (display)
  std::optional<double> on_demand_usd_per_gpu_hour;
  std::optional<double> spot_usd_per_gpu_hour;
  // Interruptions per instance-hour on spot (AWS publishes buckets, e.g. "<5%" a month: take the
  // bucket's middle as a rate and say so in the figure's note).
  std::optional<double> spot_interruptions_per_hour;
  std::optional<double> commit_1y_usd_per_gpu_hour;
  std::optional<double> commit_3y_usd_per_gpu_hour;
  std::map<std::string, Provenance> provenance;  // keyed by JSON pointer within the entry
};

// Buying the accelerator.
struct OwnedPrice {
  std::string gpu;
  double purchase_usd_per_gpu = 0;      // the device (street or list price)
  double server_usd_per_gpu = 0;        // the server's share per device (CPU, board, network)
  std::map<std::string, Provenance> provenance;
};

// What running owned hardware costs besides buying it. One set of defaults; every figure editable.
struct OperatingCosts {
  double pue = 1.3;                           // facility power / IT power
  double usd_per_kwh = 0.08;                  // electricity
  double hosting_usd_per_kw_month = 150;      // colocation, per kW of IT load
  double operations_usd_per_gpu_month = 50;   // staff, support, spares per device
  double depreciation_years = 4;              // straight-line life of the hardware
  double cost_of_capital_per_year = 0.08;     // discount rate for the purchase
  double server_power_w_per_gpu = 150;        // host CPU, fans, NICs per device, beyond its TDP
  std::map<std::string, Provenance> provenance;
};

// A serverless API's price for a catalog model.
struct ApiPrice {
  std::string model;     // catalog model id
  std::string provider;  // "Together AI", "Fireworks", ...
  double usd_per_million_input_tokens = 0;
  double usd_per_million_output_tokens = 0;
  std::optional<double> usd_per_million_cached_input_tokens;
  std::map<std::string, Provenance> provenance;
};

struct GridIntensity {
  std::string region;  // "us-average", "eu-average", "france", ...
  double g_co2e_per_kwh = 0;
  std::map<std::string, Provenance> provenance;
};

struct PriceCatalog {
  std::vector<CloudPrice> cloud;
  std::vector<OwnedPrice> owned;
  OperatingCosts operating;
  std::vector<ApiPrice> apis;
  std::vector<GridIntensity> grid;
};

// Parses the "prices" object of a catalog document ({"cloud": [...], "owned": [...],
// "operating": {...}, "apis": [...], "grid": [...]}), figures as in FORMAT.md, paths in
// diagnostics relative to the document ("/prices/cloud/3/spot_usd_per_gpu_hour").
Result<PriceCatalog> parse_price_catalog(std::string_view json_text);

// The shipped price catalog (assets/catalog/prices.json).
const PriceCatalog& embedded_prices();
const Diagnostics& embedded_prices_diagnostics();

}  // namespace pertoken
