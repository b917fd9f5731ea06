import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.ts";
import { BOOST_PLANS, DEFAULT_BOOST_PRICES } from "../../core/payments/boosts.ts";
import { toMinor } from "../../core/money.ts";
import { timeLeft } from "../../core/payments/boost-commands.ts";

const load = (extra: Record<string, string>) => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", ...extra });

describe("BOOST_PRICES", () => {
  it("defaults to 5, 25 and 80, and keeps the default for a duration left out", () => {
    expect(load({}).env.BOOST_PRICES).toEqual(DEFAULT_BOOST_PRICES);
    expect(load({ BOOST_PRICES: " 7d = 19.90 " }).env.BOOST_PRICES).toEqual({ "24h": "5", "7d": "19.90", "30d": "80" });
  });

  it("is read in major units of the workspace currency, into integer minor units", () => {
    const prices = load({ BOOST_PRICES: "24h=5,7d=25.5,30d=80" }).env.BOOST_PRICES;
    expect(toMinor(prices["7d"], "USD")).toBe(2550);
    expect(toMinor(prices["24h"], "JPY")).toBe(5);
    expect(toMinor(prices["30d"], "KWD")).toBe(80_000);
  });

  it.each(["24h=0", "12h=5", "24h=five", "24h=-1", "24h"])("refuses %j with one line naming the variable and an example", (raw) => {
    expect(() => load({ BOOST_PRICES: raw })).toThrow(ConfigError);
    expect(() => load({ BOOST_PRICES: raw })).toThrow(/^BOOST_PRICES is invalid: expected duration=price pairs such as 24h=5,7d=25,30d=80/);
  });
});

describe("boost plans", () => {
  it("multiply more the longer they run", () => {
    expect(Object.values(BOOST_PLANS).map((p) => p.multiplier)).toEqual([1.5, 2, 3]);
  });

  it("say the time left to the minute", () => {
    expect(timeLeft(24 * 3_600_000)).toBe("1d 0h");
    expect(timeLeft(3 * 3_600_000 + 12 * 60_000)).toBe("3h 12m");
    expect(timeLeft(45 * 60_000 - 1)).toBe("45m");
    expect(timeLeft(5)).toBe("1m");
  });
});
