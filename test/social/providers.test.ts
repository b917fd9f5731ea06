import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.ts";
import { ManualClock } from "../../core/clock.ts";
import { SOCIAL_PLATFORMS } from "../../core/creators/handles.ts";
import { socialProviders } from "../../social/providers.ts";
import { startFakeSocialApis } from "../fakes/social-apis.ts";
import { startFakeYouTubeApi, type FakeYouTubeApi } from "../fakes/youtube-api.ts";
import { countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
let youtube: FakeYouTubeApi;
beforeAll(async () => (youtube = await startFakeYouTubeApi({ now: () => NOW.getTime() })));
afterAll(() => youtube.close());

function build(env: Record<string, string>) {
  const lines: { platform: string; provider: string; msg: string }[] = [];
  const log = { info: (o: object, msg?: string) => lines.push({ ...(o as { platform: string; provider: string }), msg: msg ?? "" }), warn: () => {}, error: () => {} };
  const providers = socialProviders(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", ...env }), { clock: new ManualClock(NOW), log });
  return { providers, lines };
}

describe("the providers map", () => {
  it("simulates every platform without keys, and says so once each with what to set", () => {
    const { providers, lines } = build({});
    expect(Object.keys(providers).sort()).toEqual([...SOCIAL_PLATFORMS].sort());
    expect(lines.map((l) => l.platform).sort()).toEqual([...SOCIAL_PLATFORMS].sort());
    expect(lines.every((l) => l.provider === "simulated")).toBe(true);
    expect(lines.find((l) => l.platform === "tiktok")!.msg).toBe("tiktok: simulated metrics (set TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET for the real API)");
  });

  it("uses the real API where its keys are set, at its *_API_URL", async () => {
    const { providers, lines } = build({ YOUTUBE_API_KEY: youtube.apiKey, YOUTUBE_API_URL: youtube.url });
    expect(lines.find((l) => l.platform === "youtube")).toMatchObject({ provider: "api", msg: "youtube: metrics from the youtube API" });
    const profile = await providers.youtube!.profile({ platform: "youtube", handle: "tomasreis" }, { gate: countingGate() });
    expect(profile.followers).toBe(youtube.accounts.get("tomasreis")!.followers);
    expect(youtube.calls.at(-1)!.path).toBe("/youtube/v3/channels");
    const simulated = await providers.x!.profile({ platform: "x", handle: "tomasreis" }, { gate: countingGate() });
    expect(simulated.externalId).toMatch(/^sim-x-/);
  });

  it("runs all four real providers against the fakes with nothing set up per creator", async () => {
    const fakes = await startFakeSocialApis({ now: () => NOW.getTime(), record: false });
    try {
      const { providers, lines } = build(fakes.env);
      expect(lines.every((l) => l.provider === "api")).toBe(true);
      for (const platform of SOCIAL_PLATFORMS) {
        const handle = `creator_${platform}_1`;
        const gate = countingGate();
        const profile = await providers[platform]!.profile({ platform, handle }, { gate });
        expect(profile.followers, platform).toBe(fakes[platform].accounts.get(handle)!.followers);
        const page = await providers[platform]!.posts({ platform, handle }, { gate }, { since: new Date(NOW.getTime() - 7 * 86_400_000), limit: 20 });
        expect(page.items.length, platform).toBe(4);
        expect(fakes.byPlatform[platform].arrivals.length, platform).toBe(gate.taken.length);
      }
    } finally {
      await fakes.close();
    }
  });

  it("simulates everything with SOCIAL_PROVIDERS=simulated, keys or not", () => {
    const { lines } = build({ YOUTUBE_API_KEY: "k", X_BEARER_TOKEN: "t", SOCIAL_PROVIDERS: "simulated" });
    expect(lines.every((l) => l.provider === "simulated" && l.msg.endsWith("(SOCIAL_PROVIDERS=simulated)"))).toBe(true);
  });

  it("refuses half a platform's keys, and a bad setting, naming what is expected", () => {
    expect(() => build({ TIKTOK_CLIENT_KEY: "k" })).toThrow(new ConfigError("TIKTOK_CLIENT_SECRET is not set: tiktok needs TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET together (some are set)"));
    expect(() => build({ SOCIAL_PROVIDERS: "fake" })).toThrow(/SOCIAL_PROVIDERS is invalid: expected auto or simulated/);
    expect(() => build({ X_API_URL: "api.x.com" })).toThrow(/X_API_URL is invalid: expected a http: or https: URL such as https:\/\/api.x.com/);
    expect(() => build({ INSTAGRAM_ACCESS_TOKEN: "t", INSTAGRAM_BUSINESS_ACCOUNT_ID: "me" })).toThrow(/INSTAGRAM_BUSINESS_ACCOUNT_ID is invalid: expected the digits/);
  });
});
