import type { Config } from "../app/config.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { SOCIAL_PLATFORMS, type SocialPlatform } from "../core/creators/handles.ts";
import type { Providers, SocialProvider } from "../core/social/port.ts";
import { simulatedProvider } from "./simulated/provider.ts";

export interface ProvidersDeps {
  clock: Clock;
  log: Logger;
}

/** The real provider of a platform whose keys are set, or null; the variables to set otherwise. */
type RealProvider = (config: Config, deps: ProvidersDeps) => SocialProvider;
const REAL: Partial<Record<SocialPlatform, RealProvider>> = {};

/**
 * One provider per platform: the real API where its keys are set, the
 * simulation elsewhere (so a demo with no keys still has numbers), or the
 * simulation everywhere with SOCIAL_PROVIDERS=simulated. One log line each says which.
 */
export function socialProviders(config: Config, deps: ProvidersDeps): Providers {
  const providers: Providers = {};
  for (const platform of SOCIAL_PLATFORMS) {
    const state = config.integrations[platform];
    const real = REAL[platform];
    if (config.env.SOCIAL_PROVIDERS === "auto" && state.on && real) {
      providers[platform] = real(config, deps);
      deps.log.info({ platform, provider: "api" }, `${platform}: metrics from the ${platform} API`);
    } else {
      providers[platform] = simulatedProvider(platform, deps.clock);
      const why = config.env.SOCIAL_PROVIDERS === "simulated" ? "SOCIAL_PROVIDERS=simulated" : `set ${state.missing.join(", ")} for the real API`;
      deps.log.info({ platform, provider: "simulated" }, `${platform}: simulated metrics (${why})`);
    }
  }
  return providers;
}
