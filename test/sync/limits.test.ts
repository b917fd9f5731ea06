import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.ts";
import { DEFAULT_SYNC_LIMITS } from "../../core/sync/limits.ts";

const load = (SYNC_LIMITS?: string) => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", ...(SYNC_LIMITS ? { SYNC_LIMITS } : {}) }).env.SYNC_LIMITS;

describe("SYNC_LIMITS", () => {
  it("defaults to each platform's documented quota", () => {
    expect(load()).toEqual(DEFAULT_SYNC_LIMITS);
    expect(load().youtube).toEqual({ limit: 10_000, windowMs: 86_400_000, perAccount: false });
    expect(load().instagram).toEqual({ limit: 200, windowMs: 3_600_000, perAccount: true });
  });

  it("changes the platforms it names, turns one or all off, and keeps the rest", () => {
    expect(load("x=450/15m, tiktok=off")).toEqual({ ...DEFAULT_SYNC_LIMITS, x: { limit: 450, windowMs: 900_000, perAccount: false }, tiktok: null });
    expect(load("off")).toEqual({ instagram: null, youtube: null, tiktok: null, x: null });
    expect(load("off,instagram=50/10s/account")).toEqual({ instagram: { limit: 50, windowMs: 10_000, perAccount: true }, youtube: null, tiktok: null, x: null });
  });

  it("refuses what it can't read, saying what right looks like", () => {
    for (const bad of ["youtube=10000", "myspace=5/1m", "x=0/15m", "x=900/15w"]) {
      expect(() => load(bad)).toThrow(ConfigError);
      expect(() => load(bad)).toThrow(/SYNC_LIMITS is invalid: expected platform=limit\/window pairs such as youtube=10000\/24h/);
    }
  });
});
