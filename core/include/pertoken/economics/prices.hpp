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

#include "pertoken/catalog/provenance.hpp"
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
  std::string notes;                             // caveats (display)
  std::map<std::string, Provenance> provenance;  // keyed by JSON pointer within the entry
};

// Buying the accelerator.
struct OwnedPrice {
  std::string gpu;
  double purchase_usd_per_gpu = 0;  // the device (street or list price)
  double server_usd_per_gpu = 0;    // the server's share per device (CPU, board, network)
  std::map<std::string, Provenance> provenance;
};

// What running owned hardware costs besides buying it. One set of defaults; every figure editable.
struct OperatingCosts {
  double pue = 1.3;                          // facility power / IT power
  double usd_per_kwh = 0.08;                 // electricity
  double hosting_usd_per_kw_month = 150;     // colocation, per kW of IT load
  double operations_usd_per_gpu_month = 50;  // staff, support, spares per device
  double depreciation_years = 4;             // straight-line life of the hardware
  double cost_of_capital_per_year = 0.08;    // discount rate for the purchase
  double server_power_w_per_gpu = 150;       // host CPU, fans, NICs per device, beyond its TDP
  // Keyed "/pue", "/usd_per_kwh", ...: an entry exists exactly for each figure a document gave
  // (merge_prices replaces only those).
  std::map<std::string, Provenance> provenance;
};

// A serverless API's price for a catalog model.
struct ApiPrice {
  std::string model;     // catalog model id
  std::string provider;  // "Together AI", "Fireworks", ...
  double usd_per_million_input_tokens = 0;
  double usd_per_million_output_tokens = 0;
  std::optional<double> usd_per_million_cached_input_tokens;
  std::string notes;  // caveats (display)
  std::map<std::string, Provenance> provenance;
};

struct GridIntensity {
  std::string region;  // "us-average", "eu-average", "france", ...
  double g_co2e_per_kwh = 0;
  std::string name;  // "France", "Northern Virginia (Google us-east4)" (display)
  std::map<std::string, Provenance> provenance;
};

struct PriceCatalog {
  std::vector<CloudPrice> cloud;
  std::vector<OwnedPrice> owned;
  OperatingCosts operating;
  std::vector<ApiPrice> apis;
  std::vector<GridIntensity> grid;
};

// Parses a price catalog: an object {"cloud": [...], "owned": [...], "operating": {...},
// "apis": [...], "grid": [...]} (any of them; plus "$schema" and "schema_version" = 1, as in
// assets/catalog/prices.json), figures as in FORMAT.md. Strict: unknown keys, negative prices,
// PUE < 1, depreciation <= 0 ... are errors whose paths are relative to the text given
// ("/cloud/3/spot_usd_per_gpu_hour: must be >= 0"); the same object under a catalog document's
// "prices" key (parse_catalog_document) reports "/prices/cloud/3/spot_usd_per_gpu_hour".
Result<PriceCatalog> parse_price_catalog(std::string_view json_text);

// The shipped catalog's gate: every figure of a price catalog text carries a public https source
// and an as_of date (own or inherited from its record). Parse errors are returned as they are.
Diagnostics check_price_provenance(std::string_view json_text);

// `overlay` extends `base`: a cloud offer (same gpu, provider, instance, region), owned price (same
// gpu), API price (same model, provider) or grid region (same region) replaces the matching row,
// other rows are appended; the operating figures the overlay gave replace those of `base`.
PriceCatalog merge_prices(PriceCatalog base, const PriceCatalog& overlay);

// The shipped price catalog (assets/catalog/prices.json, compiled in; parsed once, on first use).
const PriceCatalog& embedded_prices();
// Problems found parsing it: empty unless a release shipped a broken file (the gate test checks).
const Diagnostics& embedded_prices_diagnostics();
// Its JSON text, for front ends that list sources.
std::string_view embedded_prices_json();

}  // namespace pertoken
