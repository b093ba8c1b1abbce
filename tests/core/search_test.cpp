// The layout search and the sweeps: the search's answer equals an exhaustive enumeration written
// here (its own loop and ranking), it never returns a layout the estimate rejects, and the sweeps
// cover the axes the charts promise.
#include <algorithm>
#include <cmath>
#include <optional>

#include <catch2/catch.hpp>

#include "pertoken/economics/payment.hpp"
#include "pertoken/economics/prices.hpp"
#include "pertoken/search/layout_search.hpp"
#include "pertoken/search/sweeps.hpp"
#include "search/stable_order.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

// A small accelerator (so big models need many devices) with a scale-up domain of `domain`.
Json small_gpu(double memory_gib, int domain, double price) {
  Json g = minimal_gpu();
  g["id"] = "small-gpu";
  g["memory_gib"] = memory_gib;
  g["scale_up"]["domain_size"] = domain;
  g["reference_usd_per_gpu_hour"] = price;
  return g;
}

Json moe_model() {
  Json m = minimal_model();
  m["id"] = "small-moe";
  m["num_layers"] = 12;
  m["moe"] = {{"num_experts", 8},
              {"experts_per_token", 2},
              {"num_shared_experts", 0},
              {"expert_intermediate_size", 4096},
              {"num_dense_layers", 1}};
  return m;
}

struct Reference {
  std::optional<Layout> best;
  double cost = 0;
  int fitting = 0;
};

// Exhaustive reference: estimate every layout of the space and keep the lowest $ per million
// tokens, ties to fewer devices, then smaller tp, pp, ep.
Reference exhaustive(const Scenario& base) {
  Reference ref;
  for (const Layout& l : layout_space(base.model, base.gpu, 128)) {
    Scenario s = base;
    s.num_gpus = l.num_gpus;
    s.tp = l.tp;
    s.pp = l.pp;
    s.ep = l.ep;
    if (!check_scenario(s).empty()) continue;
    const Estimate e = estimate(s, embedded_catalog().efficiency);
    if (!e.fits) continue;
    ++ref.fitting;
    const double cost = *e.usd_per_million_tokens;
    auto key = [](const Layout& x) { return std::make_tuple(x.num_gpus, x.tp, x.pp, x.ep); };
    if (!ref.best || cost < ref.cost || (cost == ref.cost && key(l) < key(*ref.best))) {
      ref.best = l;
      ref.cost = cost;
    }
  }
  return ref;
}

TEST_CASE("stable order: sorted by the comparison, equal items kept in list order", "[search]") {
  // Keys 3 1 2 1 3 2: the 1s (positions 1, 3), then the 2s (2, 5), then the 3s (0, 4).
  const std::vector<int> keys{3, 1, 2, 1, 3, 2};
  const auto by_key = [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; };
  const std::vector<std::size_t> order = detail::stable_order(keys.size(), by_key);
  CHECK(order == std::vector<std::size_t>{1, 3, 2, 5, 0, 4});
  std::vector<std::string> names{"c0", "a1", "b2", "a3", "c4", "b5"};
  CHECK(detail::reordered(std::move(names), order) ==
        std::vector<std::string>{"a1", "a3", "b2", "b5", "c0", "c4"});
  CHECK(detail::stable_order(0, by_key).empty());
}

TEST_CASE("layout search: equals an exhaustive enumeration on small constructed catalogs",
          "[search]") {
  int cases = 0;
  int candidates = 0;
  for (const Json& model : {minimal_model(), moe_model()}) {
    for (double memory : {8.0, 24.0, 80.0}) {
      for (int domain : {1, 4, 8}) {
        for (const Json& load : {Json("max"), Json(16), Json(1)}) {
          const Scenario base = scenario({{"model", model},
                                          {"gpu", small_gpu(memory, domain, 2.0)},
                                          {"input_tokens", 1000},
                                          {"output_tokens", 200},
                                          {"concurrency", load}});
          const LayoutChoice found = cheapest_layout(base, embedded_catalog().efficiency);
          const Reference ref = exhaustive(base);
          INFO(model["id"] << " on " << memory << " GiB, domain " << domain << ", load " << load);
          REQUIRE(found.best.has_value() == ref.best.has_value());
          candidates += found.candidates;
          ++cases;
          if (!ref.best) continue;
          CHECK(*found.best == *ref.best);
          CHECK(*found.result->usd_per_million_tokens == ref.cost);
          // Pruning saved estimates but never the answer.
          CHECK(found.estimates <= found.candidates);
          // The answer is a layout the scenario parser and the estimate accept.
          Scenario s = base;
          s.num_gpus = found.best->num_gpus;
          s.tp = found.best->tp;
          s.pp = found.best->pp;
          s.ep = found.best->ep;
          CHECK(check_scenario(s).empty());
          CHECK(estimate(s, embedded_catalog().efficiency).fits);
        }
      }
    }
  }
  CHECK(cases == 54);
  CHECK(candidates > 1000);  // the agreement covers a real space, not a handful of layouts
}

TEST_CASE("layout search: the space respects the scale-up domain and the device counts",
          "[search]") {
  const Scenario base = scenario({{"model", moe_model()}, {"gpu", small_gpu(24, 4, 2.0)}});
  const std::vector<Layout> space = layout_space(base.model, base.gpu, 64);
  REQUIRE_FALSE(space.empty());
  for (const Layout& l : space) {
    CHECK(l.tp <= 4);
    CHECK((l.num_gpus & (l.num_gpus - 1)) == 0);  // domain 4 is a power of two: none added
    if (l.ep == 1) CHECK(l.tp * l.pp == l.num_gpus);
    if (l.ep > 1) {
      CHECK(l.ep * l.pp == l.num_gpus);
      CHECK(8 % l.ep == 0);
    }
  }
  // An NVL72-like domain adds whole domains to the powers of two.
  const Scenario nvl = scenario({{"model", minimal_model()}, {"gpu", small_gpu(24, 72, 2.0)}});
  const auto wide = layout_space(nvl.model, nvl.gpu, 128);
  CHECK(std::any_of(wide.begin(), wide.end(), [](const Layout& l) { return l.num_gpus == 72; }));
}

TEST_CASE("layout search: a model that fits nowhere is rejected with reasons", "[search]") {
  Json huge = minimal_model();
  huge["num_layers"] = 4;  // at most 4 stages, and 32 heads limit tp to the domain of 2
  const Scenario base = scenario({{"model", huge}, {"gpu", small_gpu(1, 2, 2.0)}});
  const LayoutChoice choice = cheapest_layout(base, embedded_catalog().efficiency);
  CHECK_FALSE(choice.best.has_value());
  CHECK_FALSE(choice.unknown);
  CHECK(choice.rejected.size() == static_cast<std::size_t>(choice.candidates));
  // Each with its reason in words: pruned before an estimate, or the estimate's limit_detail.
  for (const RejectedLayout& r : choice.rejected) {
    CHECK((r.reason == "the weights alone exceed the devices' memory" ||
           r.reason.find(" of weights + ") != std::string::npos));
  }
}

TEST_CASE("layout search: an estimate that does not fit names the fewest devices that hold it",
          "[search]") {
  // Llama-3.1-405B in bf16 is 405.9e9 x 2 bytes = 756 GiB of weights. One L4 has 24 GiB, of
  // which the runtime keeps 2 GiB (the prior's named guess): 32 of them hold 32 x 22 = 704 GiB
  // < 756 GiB whatever the layout, so no instance of 32 fits, and the device counts searched are
  // powers of two: the fewest is 64.
  const Json too_big = {{"model", "llama-3.1-405b"}, {"gpu", "l4"}, {"weights", "bf16"}};
  Json j = run_json(too_big);
  CHECK(j["fits"] == false);
  CHECK(j["limit_reason"] == "weights_exceed_memory");
  REQUIRE(j["fewest_devices_that_fit"].is_object());
  CHECK(j["fewest_devices_that_fit"]["num_gpus"] == 64);
  CHECK(j["limit_detail"].get<std::string>().find("the fewest that hold it: 64 (tp ") !=
        std::string::npos);
  // The layout named fits when asked for.
  Json named = too_big;
  for (const char* key : {"tp", "pp", "ep"}) named[key] = j["fewest_devices_that_fit"][key];
  named["gpus"] = 64;
  CHECK(run_json(named)["fits"] == true);

  // One request of 121,000 tokens of Llama-3.1-8B holds 2 (K, V) x 32 layers x 8 KV heads x 128
  // x 2 bytes = 128 KiB per token: 14.8 GiB, beside 15 GiB of bf16 weights on a 24 GiB L4. Two
  // L4s at tp 2 halve both (7.4 + 7.5 GiB, under 22 GiB): the fewest is 2.
  const Json long_prompt = {{"model", "llama-3.1-8b"},
                            {"gpu", "l4"},
                            {"weights", "bf16"},
                            {"input_tokens", 120000},
                            {"output_tokens", 1000}};
  j = run_json(long_prompt);
  CHECK(j["limit_reason"] == "kv_cache_exceeds_memory");
  REQUIRE(j["fewest_devices_that_fit"].is_object());
  CHECK(j["fewest_devices_that_fit"]["num_gpus"] == 2);

  // A deployment that fits names nothing.
  CHECK(run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}})["fewest_devices_that_fit"]
            .is_null());
}

// Exhaustive reference at an interactivity floor, its own loops: every layout of the space at its
// largest batch, and where that batch is too slow for the floor, the largest batch that holds it
// (users' speed falls as the batch grows); ranked by $ per million tokens, or without a price by
// tokens/s per device, ties to fewer devices, then smaller tp, pp, ep.
struct FloorReference {
  std::optional<Layout> best;
  std::optional<Estimate> result;
};
FloorReference exhaustive_at_floor(const Scenario& base, double floor, int max_devices) {
  const EfficiencyFactors& eff = embedded_catalog().efficiency;
  FloorReference ref;
  double best_score = 0;
  for (const Layout& l : layout_space(base.model, base.gpu, max_devices)) {
    Scenario s = base;
    s.num_gpus = l.num_gpus;
    s.tp = l.tp;
    s.pp = l.pp;
    s.ep = l.ep;
    if (!check_scenario(s).empty()) continue;
    std::optional<Estimate> e = estimate(s, eff);
    if (!e->fits) continue;
    if (e->tokens_per_s_per_user < floor) {
      // The largest batch in [1, most) that holds the floor: lo holds it, hi does not.
      const long long most = static_cast<long long>(e->concurrency);
      auto at = [&](long long c) {
        s.concurrency = static_cast<int>(c);
        return estimate(s, eff);
      };
      auto holds = [&](const Estimate& x) { return x.fits && x.tokens_per_s_per_user >= floor; };
      e = at(1);
      if (!holds(*e)) continue;
      long long lo = 1;
      long long hi = most;
      while (hi - lo > 1) {
        const long long c = (lo + hi) / 2;
        Estimate x = at(c);
        if (holds(x)) {
          lo = c;
          e = std::move(x);
        } else {
          hi = c;
        }
      }
    }
    const double score = e->usd_per_million_tokens
                             ? *e->usd_per_million_tokens
                             : -(e->output_tokens_per_s + e->input_tokens_per_s) / l.num_gpus;
    auto key = [](const Layout& x) { return std::make_tuple(x.num_gpus, x.tp, x.pp, x.ep); };
    if (!ref.best || score < best_score || (score == best_score && key(l) < key(*ref.best))) {
      ref.best = l;
      ref.result = std::move(e);
      best_score = score;
    }
  }
  return ref;
}

TEST_CASE(
    "layout search: at an interactivity floor the pruned search equals bisecting every layout",
    "[search]") {
  const EfficiencyFactors& eff = embedded_catalog().efficiency;
  int cases = 0;
  int pruned = 0;  // cases where the pruned search ran fewer estimates than the exhaustive one
  for (const Json& model : {minimal_model(), moe_model()}) {
    for (double memory : {24.0, 80.0}) {
      for (int domain : {1, 8}) {
        for (bool priced : {true, false}) {
          for (double floor : {15.0, 40.0, 90.0}) {
            Json gpu = small_gpu(memory, domain, 2.0);
            if (!priced) gpu.erase("reference_usd_per_gpu_hour");
            const Scenario base = scenario({{"model", model},
                                            {"gpu", gpu},
                                            {"input_tokens", 1000},
                                            {"output_tokens", 200},
                                            {"concurrency", "max"}});
            LayoutSearchOptions options;
            options.max_devices = 32;
            options.min_tokens_per_s_per_user = floor;
            const LayoutChoice found = cheapest_layout(base, eff, options);
            const LayoutChoice brute = cheapest_layout_brute_force(base, eff, options);
            const FloorReference ref = exhaustive_at_floor(base, floor, options.max_devices);
            INFO(model["id"] << " on " << memory << " GiB, domain " << domain
                             << (priced ? ", priced" : ", no price") << ", floor " << floor);
            REQUIRE(found.best.has_value() == ref.best.has_value());
            ++cases;
            if (found.estimates < brute.estimates) ++pruned;
            // The layouts rejected, and why, are the exhaustive search's.
            REQUIRE(found.rejected.size() == brute.rejected.size());
            for (std::size_t i = 0; i < found.rejected.size(); ++i) {
              CHECK(found.rejected[i].layout == brute.rejected[i].layout);
              CHECK(found.rejected[i].reason == brute.rejected[i].reason);
            }
            if (!ref.best) continue;
            CHECK(*found.best == *ref.best);
            CHECK(found.result->concurrency == ref.result->concurrency);
            CHECK(found.result->usd_per_million_tokens == ref.result->usd_per_million_tokens);
            CHECK(found.result->output_tokens_per_s == ref.result->output_tokens_per_s);
          }
        }
      }
    }
  }
  CHECK(cases == 48);
  CHECK(pruned > 0);  // the bound did prune somewhere
}

TEST_CASE("layout search: at concurrency max the floor picks the largest batch that holds it",
          "[search]") {
  const Scenario base = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"num_gpus", 1}});
  const EfficiencyFactors& eff = embedded_catalog().efficiency;
  const Estimate at_max = estimate(base, eff);
  const Estimate one = [&] {
    Scenario s = base;
    s.concurrency = 1;
    return estimate(s, eff);
  }();
  // A floor between the speed at max and the speed of a lone request, so a batch in between
  // holds it: the search must find it, and one more request must break it.
  REQUIRE(one.tokens_per_s_per_user > at_max.tokens_per_s_per_user * 2);
  LayoutSearchOptions floor;
  floor.max_devices = 1;
  floor.min_tokens_per_s_per_user =
      std::sqrt(one.tokens_per_s_per_user * at_max.tokens_per_s_per_user);
  const LayoutChoice held = cheapest_layout(base, eff, floor);
  REQUIRE(held.best.has_value());
  CHECK(held.result->tokens_per_s_per_user >= floor.min_tokens_per_s_per_user);
  const int c = static_cast<int>(std::lround(held.result->concurrency));
  CHECK(c > 1);
  CHECK(c < at_max.concurrency);
  Scenario next = base;
  next.concurrency = c + 1;
  CHECK(estimate(next, eff).tokens_per_s_per_user < floor.min_tokens_per_s_per_user);
  // The floor costs money: fewer requests share the same device-hours.
  CHECK(*held.result->usd_per_million_tokens > *at_max.usd_per_million_tokens);

  // A fixed concurrency is the user's: a layout below the floor there is rejected, not re-batched.
  Scenario fixed = base;
  fixed.concurrency = static_cast<int>(at_max.concurrency);
  const LayoutChoice rejected = cheapest_layout(fixed, eff, floor);
  CHECK_FALSE(rejected.best.has_value());
  REQUIRE_FALSE(rejected.rejected.empty());
  CHECK(rejected.rejected.back().reason.rfind("below ", 0) == 0);
  // A floor no single request reaches: nothing holds it.
  floor.min_tokens_per_s_per_user = one.tokens_per_s_per_user * 1.01;
  CHECK_FALSE(cheapest_layout(base, eff, floor).best.has_value());
  // And each rejection says so in words, with the floor: 5,000 tokens/s per user is out of reach
  // (one H100 reads the 8B model's 16 GB of weights at most ~210 times a second).
  floor.min_tokens_per_s_per_user = 5000;
  const LayoutChoice alone = cheapest_layout(base, eff, floor);
  REQUIRE(alone.rejected.size() == 1);
  CHECK(alone.rejected[0].reason == "below 5,000 tokens/s per user even at one request at a time");
  const LayoutChoice loaded = cheapest_layout(fixed, eff, floor);
  REQUIRE(loaded.rejected.size() == 1);
  CHECK(loaded.rejected[0].reason == "below 5,000 tokens/s per user at this load");
}

TEST_CASE("sweeps: the accelerator comparison prices every accelerator on one basis", "[search]") {
  const Catalog& catalog = embedded_catalog_with_prices();
  const Scenario base = scenario({{"model", "llama-3.1-70b"},
                                  {"gpu", "h100-sxm"},
                                  {"usd_per_gpu_hour", 2.0},
                                  {"weights", "fp8"}});
  ComparisonOptions options;
  options.pricing = parse_pricing_lens("on-demand:hyperscaler");
  const Sweep sweep = run_sweep(SweepKind::gpus, base, catalog, options);
  CHECK(sweep.price_basis == "on-demand:hyperscaler");
  int priced = 0;
  for (const SweepPoint& p : sweep.points) {
    // The expected price, read from the price rows: the lowest hyperscaler on-demand offer.
    std::optional<double> lowest;
    for (const CloudPrice& offer : catalog.prices.cloud) {
      if (offer.gpu != p.gpu || offer.provider_class != ProviderClass::hyperscaler ||
          !offer.on_demand_usd_per_gpu_hour) {
        continue;
      }
      lowest = std::min(lowest.value_or(INFINITY), *offer.on_demand_usd_per_gpu_hour);
    }
    INFO(p.gpu);
    CHECK(p.usd_per_gpu_hour == lowest);  // the user's own accelerator too: no $2.00 here
    priced += lowest ? 1 : 0;
    if (p.status == LayoutStatus::fits) {
      CHECK(p.result->tokens_per_s_per_user >= default_interactivity_floor_tokens_per_s);
    }
  }
  CHECK(priced >= 8);
  // "reference": the catalog's reference prices, said so; the user's accelerator at the user's.
  ComparisonOptions reference_options;
  reference_options.reference_prices = true;
  const Sweep reference = run_sweep(SweepKind::gpus, base, embedded_catalog(), reference_options);
  CHECK(reference.price_basis.find("reference") != std::string::npos);
  // By default one lens, the planner's: on demand at a specialist cloud. Without the price rows
  // (the calculator's module before it loads them) no accelerator has a cost, rather than each
  // falling back to its reference price.
  const Sweep by_default = run_sweep(SweepKind::gpus, base, embedded_catalog());
  CHECK(by_default.price_basis == "on-demand:specialist");
  for (const SweepPoint& p : by_default.points) {
    INFO(p.gpu);
    CHECK_FALSE(p.usd_per_gpu_hour.has_value());
    CHECK(p.price_source == "no offer");
  }
}

TEST_CASE("sweeps: batching runs from one request to the most that fit", "[search]") {
  const Scenario base = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}});
  const Sweep sweep = run_sweep(SweepKind::batching, base, embedded_catalog());
  const Estimate at_max = estimate(base, embedded_catalog().efficiency);
  REQUIRE(sweep.points.size() >= 20);
  CHECK(sweep.points.front().x == 1);
  CHECK(sweep.points.back().x == static_cast<double>(at_max.max_concurrency));
  CHECK(std::is_sorted(sweep.points.begin(), sweep.points.end(),
                       [](const SweepPoint& a, const SweepPoint& b) { return a.x < b.x; }));
  // More requests share the same GPU-hours: cost per token falls, each user's speed does not rise.
  CHECK(*sweep.points.back().result->usd_per_million_tokens <
        *sweep.points.front().result->usd_per_million_tokens);
  CHECK(sweep.points.back().result->tokens_per_s_per_user <=
        sweep.points.front().result->tokens_per_s_per_user);
  CHECK(sweep.empty.empty());
}

TEST_CASE("sweeps: context runs from 128 tokens to the context left beside the output",
          "[search]") {
  const Scenario base = scenario({{"model", "llama-3.1-8b"},
                                  {"gpu", "h100-sxm"},
                                  {"input_tokens", 3000},
                                  {"output_tokens", 1000}});
  const Sweep sweep = run_sweep(SweepKind::context, base, embedded_catalog());
  CHECK(sweep.points.front().x == 128);
  CHECK(sweep.points.back().x == 131072 - 1000);  // Llama 3.1: 128k context
  CHECK(std::any_of(sweep.points.begin(), sweep.points.end(),
                    [](const SweepPoint& p) { return p.x == 3000; }));
  CHECK(*sweep.marker == 3000);
}

TEST_CASE("sweeps: gpus at reference prices ranks every accelerator, its own at the user's price",
          "[search]") {
  const Scenario base = scenario({{"model", "llama-3.1-70b"},
                                  {"gpu", "h100-sxm"},
                                  {"usd_per_gpu_hour", 2.0},
                                  {"weights", "fp8"}});
  ComparisonOptions reference;
  reference.reference_prices = true;
  const Sweep sweep = run_sweep(SweepKind::gpus, base, embedded_catalog(), reference);
  CHECK(sweep.points.size() == embedded_catalog().gpus.size());
  double last = 0;
  bool ranked = true;
  for (const SweepPoint& p : sweep.points) {
    if (p.selected) {
      CHECK(p.gpu == "h100-sxm");
      CHECK(*p.usd_per_gpu_hour == 2.0);
    } else if (const GpuSpec* g = embedded_catalog().find_gpu(p.gpu)) {
      CHECK(p.usd_per_gpu_hour == g->reference_usd_per_hour);
    }
    if (p.status == LayoutStatus::fits && p.result->usd_per_million_tokens) {
      ranked = ranked && *p.result->usd_per_million_tokens >= last;
      last = *p.result->usd_per_million_tokens;
    }
  }
  CHECK(ranked);
}

}  // namespace
}  // namespace pertoken::test
