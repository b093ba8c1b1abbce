// Ways to pay for a device-hour: a pricing lens (on-demand, spot, 1- or 3-year commitment within
// one provider class, or owned hardware) turns the price catalog into one $/device-hour per
// accelerator, so comparisons rank hardware at one stated price basis rather than mixing sources.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/economics/prices.hpp"

namespace pertoken {

enum class Payment { on_demand, spot, commit_1y, commit_3y, owned };

struct PricingLens {
  Payment payment = Payment::on_demand;
  ProviderClass provider_class = ProviderClass::specialist;  // cloud lenses only
  bool operator==(const PricingLens&) const = default;
};

// "on-demand:specialist", "spot:hyperscaler", "commit-1y:marketplace", "commit-3y:...", "owned".
std::string to_string(const PricingLens& lens);
// Every lens's word, in the order bills list them (field tables list these as their values).
inline constexpr std::array<std::string_view, 13> pricing_lens_words = {"on-demand:hyperscaler",
                                                                        "on-demand:specialist",
                                                                        "on-demand:marketplace",
                                                                        "spot:hyperscaler",
                                                                        "spot:specialist",
                                                                        "spot:marketplace",
                                                                        "commit-1y:hyperscaler",
                                                                        "commit-1y:specialist",
                                                                        "commit-1y:marketplace",
                                                                        "commit-3y:hyperscaler",
                                                                        "commit-3y:specialist",
                                                                        "commit-3y:marketplace",
                                                                        "owned"};
// The lens words with one more word before (`front`) or after them, for a field's values.
constexpr std::array<std::string_view, 14> pricing_lens_words_and(std::string_view word,
                                                                  bool front) {
  std::array<std::string_view, 14> words{};
  for (std::size_t i = 0; i < pricing_lens_words.size(); ++i) {
    words[front ? i + 1 : i] = pricing_lens_words[i];
  }
  words[front ? 0 : 13] = word;
  return words;
}
std::optional<PricingLens> parse_pricing_lens(std::string_view text);
// Every lens, in the order bills list them.
std::vector<PricingLens> all_pricing_lenses();
// The basis comparisons use unless told otherwise: specialist GPU clouds on demand (the class with
// offers for most accelerators; hyperscaler prices run ~2x higher for the same hardware).
PricingLens default_pricing_lens();

// Assumptions of the spot and owned lenses. NOTE: named guesses where no public figure exists.
struct PaymentAssumptions {
  // Minutes to replace an interrupted spot instance (new instance, weights loaded, warm): a guess.
  double spot_replacement_s = 600;
  // Share of the device's TDP drawn when idle; draw = TDP x (idle + (1 - idle) x utilization).
  // A guess from published idle-vs-load board power of datacenter GPUs (~25-35% of TDP).
  double idle_power_fraction = 0.3;
};

// One accelerator's price per device-hour under a lens.
struct DeviceHourPrice {
  double usd_per_gpu_hour = 0;  // what the fleet pays per device-hour it holds
  std::string provider;         // the offer taken ("Lambda", or "owned")
  std::string basis;            // one line: how the figure was made
  // Spot: interruptions per instance-hour; the planner adds spare capacity and re-prefill for it.
  double interruptions_per_hour = 0;
  double replacement_s = 0;
};

// The price of `gpu` under `lens`: the lowest offer of the class (cloud), or the owned cost per
// device-hour at `utilization` (the busy share of each hour, in (0, 1]): capital recovered over
// the depreciation years at the cost of capital, power at the modelled draw x PUE x $/kWh,
// hosting per kW-month, operations per device-month. nullopt when the catalog has no such offer.
std::optional<DeviceHourPrice> device_hour_price(const PriceCatalog& prices, const GpuSpec& gpu,
                                                 const PricingLens& lens, double utilization,
                                                 const PaymentAssumptions& assumptions = {});

// Capital recovery factor: the yearly payment that repays 1 over `years` at `rate` a year.
double capital_recovery_factor(double rate, double years);

}  // namespace pertoken
