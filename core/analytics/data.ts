import type { SocialPlatform } from "../creators/handles.ts";

/** What the analytics read, as plain data: the stored rows with counters as numbers. */
export interface Snapshot {
  platform: SocialPlatform;
  capturedAt: Date;
  followers: number;
}

export interface Post {
  platform: SocialPlatform;
  postedAt: Date;
  caption: string;
  likes: number;
  comments: number;
  shares: number | null;
  /** Views (YouTube, TikTok), impressions (X) where the platform gives them. */
  views: number | null;
  url?: string | null;
}
