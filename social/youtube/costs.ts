/**
 * What each YouTube Data API v3 call costs in quota units (10,000 a day by
 * default), from Google's quota table. The provider charges the gate these;
 * search.list is listed to say why it is never used: a channel's uploads
 * playlist gives the same videos for 1.
 */
export const YOUTUBE_UNIT_COSTS = {
  "channels.list": 1,
  "playlistItems.list": 1,
  "videos.list": 1,
  "commentThreads.list": 1,
  "search.list": 100,
} as const;

export type YouTubeCall = keyof typeof YOUTUBE_UNIT_COSTS;
