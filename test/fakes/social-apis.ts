import type { SocialPlatform } from "../../core/creators/handles.ts";
import { startFakeInstagramApi, type FakeInstagramApi } from "./instagram-api.ts";
import type { FakeAccountsOptions, SocialFakeServer } from "./social-accounts.ts";
import { startFakeTikTokApi, type FakeTikTokApi } from "./tiktok-api.ts";
import { startFakeXApi, type FakeXApi } from "./x-api.ts";
import { startFakeYouTubeApi, type FakeYouTubeApi } from "./youtube-api.ts";

export interface FakeSocialApis {
  instagram: FakeInstagramApi;
  youtube: FakeYouTubeApi;
  tiktok: FakeTikTokApi;
  x: FakeXApi;
  /** The four fakes by platform, for loops. */
  byPlatform: Record<SocialPlatform, SocialFakeServer>;
  /** The variables that point Clout's real providers at these fakes (keys and *_API_URL). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** All four fake platforms at once: what an app test or the sync benchmark needs to run the real providers with no set-up per creator. */
export async function startFakeSocialApis(o: Partial<FakeAccountsOptions> & { record?: boolean } = {}): Promise<FakeSocialApis> {
  const [instagram, youtube, tiktok, x] = await Promise.all([startFakeInstagramApi(o), startFakeYouTubeApi(o), startFakeTikTokApi(o), startFakeXApi(o)]);
  return {
    instagram,
    youtube,
    tiktok,
    x,
    byPlatform: { instagram, youtube, tiktok, x },
    env: {
      INSTAGRAM_ACCESS_TOKEN: instagram.appToken,
      INSTAGRAM_BUSINESS_ACCOUNT_ID: instagram.businessAccountId,
      INSTAGRAM_API_URL: `${instagram.url}/v21.0`,
      YOUTUBE_API_KEY: youtube.apiKey,
      YOUTUBE_API_URL: youtube.url,
      TIKTOK_CLIENT_KEY: tiktok.clientKey,
      TIKTOK_CLIENT_SECRET: tiktok.clientSecret,
      TIKTOK_API_URL: tiktok.url,
      X_BEARER_TOKEN: x.bearerToken,
      X_API_URL: x.url,
    },
    close: async () => void (await Promise.all([instagram.close(), youtube.close(), tiktok.close(), x.close()])),
  };
}
