import type { Config } from "../app/config.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { SOCIAL_PLATFORMS, type SocialPlatform } from "../core/creators/handles.ts";
import type { Providers, SocialProvider } from "../core/social/port.ts";
import { instagramProvider } from "./instagram/provider.ts";
import { simulatedProvider } from "./simulated/provider.ts";
import { tiktokProvider } from "./tiktok/provider.ts";
import { xProvider } from "./x/provider.ts";
import { youtubeProvider } from "./youtube/provider.ts";

export interface ProvidersDeps {
  clock: Clock;
  log: Logger;
}

/** Each platform's real provider, made from its (complete) keys. */
const REAL: Record<SocialPlatform, (env: Config["env"], clock: Clock) => SocialProvider> = {
  instagram: (env, clock) => instagramProvider({ accessToken: env.INSTAGRAM_ACCESS_TOKEN!, businessAccountId: env.INSTAGRAM_BUSINESS_ACCOUNT_ID!, apiUrl: env.INSTAGRAM_API_URL, clock }),
  youtube: (env, clock) => youtubeProvider({ apiKey: env.YOUTUBE_API_KEY!, apiUrl: env.YOUTUBE_API_URL, clock }),
  tiktok: (env, clock) => tiktokProvider({ clientKey: env.TIKTOK_CLIENT_KEY!, clientSecret: env.TIKTOK_CLIENT_SECRET!, apiUrl: env.TIKTOK_API_URL, clock }),
  x: (env, clock) => xProvider({ bearerToken: env.X_BEARER_TOKEN!, apiUrl: env.X_API_URL, clock }),
};

/**
 * One provider per platform: the real API where its keys are set, the
 * simulation elsewhere (so a demo with no keys still has numbers), or the
 * simulation everywhere with SOCIAL_PROVIDERS=simulated. One log line each says which.
 */
export function socialProviders(config: Config, deps: ProvidersDeps): Providers {
  const providers: Providers = {};
  for (const platform of SOCIAL_PLATFORMS) {
    const state = config.integrations[platform];
    if (config.env.SOCIAL_PROVIDERS === "auto" && state.on) {
      providers[platform] = REAL[platform](config.env, deps.clock);
      deps.log.info({ platform, provider: "api" }, `${platform}: metrics from the ${platform} API`);
    } else {
      providers[platform] = simulatedProvider(platform, deps.clock);
      const why = config.env.SOCIAL_PROVIDERS === "simulated" ? "SOCIAL_PROVIDERS=simulated" : `set ${state.missing.join(", ")} for the real API`;
      deps.log.info({ platform, provider: "simulated" }, `${platform}: simulated metrics (${why})`);
    }
  }
  return providers;
}
