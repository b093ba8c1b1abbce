// Pricing lenses (see payment.hpp).
#include "pertoken/economics/payment.hpp"

#include <cmath>

#include "pertoken/text/figure_text.hpp"
#include "pertoken/units.hpp"

namespace pertoken {
namespace {

constexpr double hours_per_year = 8760;
constexpr double hours_per_month = hours_per_year / 12;

std::string_view payment_name(Payment payment) {
  switch (payment) {
    case Payment::on_demand: return "on-demand";
    case Payment::spot: return "spot";
    case Payment::commit_1y: return "commit-1y";
    case Payment::commit_3y: return "commit-3y";
    case Payment::owned: return "owned";
  }
  return "on-demand";
}

const std::optional<double>& offer(const CloudPrice& price, Payment payment) {
  switch (payment) {
    case Payment::spot: return price.spot_usd_per_gpu_hour;
    case Payment::commit_1y: return price.commit_1y_usd_per_gpu_hour;
    case Payment::commit_3y: return price.commit_3y_usd_per_gpu_hour;
    default: return price.on_demand_usd_per_gpu_hour;
  }
}

}  // namespace

std::string to_string(const PricingLens& lens) {
  if (lens.payment == Payment::owned) return "owned";
  return std::string(payment_name(lens.payment)) + ":" +
         std::string(pertoken::to_string(lens.provider_class));
}

std::optional<PricingLens> parse_pricing_lens(std::string_view text) {
  for (const PricingLens& lens : all_pricing_lenses()) {
    if (to_string(lens) == text) return lens;
  }
  return std::nullopt;
}

std::vector<PricingLens> all_pricing_lenses() {
  std::vector<PricingLens> lenses;
  for (Payment p : {Payment::on_demand, Payment::spot, Payment::commit_1y, Payment::commit_3y}) {
    for (ProviderClass c :
         {ProviderClass::hyperscaler, ProviderClass::specialist, ProviderClass::marketplace}) {
      lenses.push_back({p, c});
    }
  }
  lenses.push_back({Payment::owned, ProviderClass::specialist});
  return lenses;
}

PricingLens default_pricing_lens() { return {Payment::on_demand, ProviderClass::specialist}; }

double capital_recovery_factor(double rate, double years) {
  if (rate <= 0) return 1 / years;
  const double growth = std::pow(1 + rate, years);
  return rate * growth / (growth - 1);
}

std::optional<DeviceHourPrice> device_hour_price(const PriceCatalog& prices, const GpuSpec& gpu,
                                                 const PricingLens& lens, double utilization,
                                                 const PaymentAssumptions& assumptions) {
  if (lens.payment == Payment::owned) {
    const OwnedPrice* owned = nullptr;
    for (const OwnedPrice& o : prices.owned) {
      if (o.gpu == gpu.id) owned = &o;
    }
    if (owned == nullptr || !gpu.tdp_w) return std::nullopt;
    const OperatingCosts& op = prices.operating;
    const double capital = owned->purchase_usd_per_gpu + owned->server_usd_per_gpu;
    const double capital_per_hour =
        capital * capital_recovery_factor(op.cost_of_capital_per_year, op.depreciation_years) /
        hours_per_year;
    // Power at the modelled draw, not at TDP: idle share plus the busy share of the rest.
    const double draw_w = *gpu.tdp_w * (assumptions.idle_power_fraction +
                                        (1 - assumptions.idle_power_fraction) * utilization) +
                          op.server_power_w_per_gpu;
    const double power_per_hour = draw_w / 1000 * op.pue * op.usd_per_kwh;
    // Hosting is sold per kW of provisioned IT load: the rated power, whatever the draw.
    const double hosting_per_hour = (*gpu.tdp_w + op.server_power_w_per_gpu) / 1000 *
                                    op.hosting_usd_per_kw_month / hours_per_month;
    const double operations_per_hour = op.operations_usd_per_gpu_month / hours_per_month;
    DeviceHourPrice price;
    price.usd_per_gpu_hour =
        capital_per_hour + power_per_hour + hosting_per_hour + operations_per_hour;
    price.provider = "owned";
    price.basis = "capital " + format_usd(capital_per_hour) + " + power " +
                  format_usd(power_per_hour) + " + hosting " + format_usd(hosting_per_hour) +
                  " + operations " + format_usd(operations_per_hour) + " per device-hour";
    return price;
  }
  const CloudPrice* best = nullptr;
  for (const CloudPrice& c : prices.cloud) {
    if (c.gpu != gpu.id || c.provider_class != lens.provider_class) continue;
    const std::optional<double>& value = offer(c, lens.payment);
    if (value && (best == nullptr || *value < *offer(*best, lens.payment))) best = &c;
  }
  if (best == nullptr) return std::nullopt;
  DeviceHourPrice price;
  price.usd_per_gpu_hour = *offer(*best, lens.payment);
  price.provider = best->provider;
  price.basis = "lowest " + to_string(lens) + " offer in the catalog: " + best->provider;
  if (!best->instance.empty()) price.basis += " " + best->instance;
  if (!best->region.empty()) price.basis += " (" + best->region + ")";
  if (lens.payment == Payment::spot) {
    price.interruptions_per_hour = best->spot_interruptions_per_hour.value_or(0);
    price.replacement_s = assumptions.spot_replacement_s;
  }
  return price;
}

}  // namespace pertoken
