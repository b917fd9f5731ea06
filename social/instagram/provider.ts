import { z } from "zod";
import { ProviderError, type AccountRef, type FetchedPost, type ProviderCall, type SocialProvider } from "../../core/social/port.ts";
import { type Answer, type ApiOptions, counter, DEFAULT_RETRY_MS, JsonClient } from "../http.ts";

/**
 * Instagram Graph API (graph.facebook.com/v21.0). An account whose creator
 * connected it (token + IG user id) is read as itself: /{ig-user-id},
 * /{ig-user-id}/media, /{media-id}/comments. Any other business or creator
 * account is read through the app's own business account with
 * business_discovery; Instagram shows no one else's comments, so those
 * accounts have none. One call of the hourly budget each.
 */

export interface InstagramOptions extends ApiOptions {
  /** The app's token, for business_discovery. */
  accessToken: string;
  /** The app's Instagram business account, which business_discovery reads through. */
  businessAccountId: string;
}

const PROFILE_FIELDS = "id,username,name,biography,followers_count,follows_count,media_count";
const MEDIA_FIELDS = "id,caption,media_type,permalink,timestamp,like_count,comments_count";

const profileShape = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string().nullish(),
  biography: z.string().nullish(),
  followers_count: counter,
  follows_count: counter.nullish(),
  media_count: counter.nullish(),
});
const paging = z.object({ cursors: z.object({ after: z.string().nullish() }).nullish(), next: z.string().nullish() }).nullish();
const mediaShape = z.object({
  id: z.string(),
  caption: z.string().nullish(),
  media_type: z.string().nullish(),
  permalink: z.string().nullish(),
  // Instagram's own format, +0000 without a colon, which Date reads.
  timestamp: z.string().refine((t) => !Number.isNaN(Date.parse(t)), "expected a timestamp"),
  like_count: counter.nullish(),
  comments_count: counter.nullish(),
});
const mediaPage = z.object({ data: z.array(mediaShape), paging });
const commentsPage = z.object({
  data: z.array(z.object({ id: z.string(), text: z.string().nullish(), timestamp: z.string(), username: z.string().nullish() })),
  paging,
});

const errorShape = z.object({ error: z.object({ message: z.string().optional(), type: z.string().optional(), code: z.number().optional(), error_subcode: z.number().optional() }) });

/** Meta's usage headers say how many minutes until the app or account may call again. */
function regainMs(answer: Answer): number {
  let minutes = 0;
  for (const name of ["x-business-use-case-usage", "x-app-usage"]) {
    try {
      const usage = JSON.parse(answer.headers.get(name) ?? "null") as unknown;
      const entries = usage && typeof usage === "object" ? (Array.isArray(usage) ? usage : Object.values(usage).flat()) : [];
      for (const e of [usage, ...entries]) minutes = Math.max(minutes, Number((e as { estimated_time_to_regain_access?: number })?.estimated_time_to_regain_access) || 0);
    } catch {
      // An unreadable header just leaves the default wait.
    }
  }
  return minutes > 0 ? minutes * 60_000 : DEFAULT_RETRY_MS;
}

/** Graph API errors by code: 190 an expired or revoked token; 4, 17, 32, 613 the app, user, page or call-type rate limits; 100/33 and 2207013 no such object; 10 and 200-299 a permission the account doesn't give. */
function refusal(answer: Answer): ProviderError | undefined {
  const parsed = errorShape.safeParse(answer.body);
  if (!parsed.success) return undefined;
  const { code, error_subcode: sub, message = "" } = parsed.data.error;
  const say = (kind: ProviderError["kind"], text: string, retry?: number) => new ProviderError("instagram", kind, `instagram: ${text} (code ${code}${sub ? `/${sub}` : ""}: ${message})`, retry);
  if (code === 190) return say("token_expired", "the access token has expired or was revoked");
  if (code === 4 || code === 17 || code === 32 || code === 613) return say("rate_limited", "rate limited", regainMs(answer));
  if ((code === 100 && sub === 33) || sub === 2207013) return say("not_found", "no such account or media (only business and creator accounts can be read)");
  if (code === 10 || (code !== undefined && code >= 200 && code < 300)) return say("private", "the account doesn't allow this app to read it");
  if (code === 1 || code === 2) return say("unavailable", "Instagram had a temporary problem");
  return say("bad_response", "refused");
}

export function instagramProvider(o: InstagramOptions): SocialProvider {
  const http = new JsonClient({ platform: "instagram", baseUrl: o.apiUrl ?? "https://graph.facebook.com/v21.0", clock: o.clock, timeoutMs: o.timeoutMs, refusal });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** The creator's own token reads their account directly; else the app's business_discovery. */
  const own = (a: AccountRef): { id: string; token: string } | null => (a.token && a.externalId ? { id: a.externalId, token: a.token } : null);
  const discover = async <S extends z.ZodType>(account: AccountRef, call: ProviderCall, fields: string, shape: S): Promise<z.infer<S>> => {
    // zod can't infer through a generic field, so the shape is named here.
    const answer = (await http.request(call, { path: `/${o.businessAccountId}`, query: { fields: `business_discovery.username(${account.handle}){${fields}}` }, headers: bearer(o.accessToken) }, z.object({ business_discovery: shape }))) as { business_discovery: z.infer<S> };
    return answer.business_discovery;
  };

  const postOf = (m: z.infer<typeof mediaShape>): FetchedPost => ({
    externalId: m.id,
    postedAt: new Date(Date.parse(m.timestamp)),
    kind: m.media_type?.toLowerCase() ?? null,
    caption: m.caption ?? "",
    url: m.permalink ?? null,
    likes: m.like_count ?? 0,
    comments: m.comments_count ?? 0,
  });

  return {
    platform: "instagram",
    async profile(account, call) {
      const mine = own(account);
      const p = mine
        ? await http.request(call, { path: `/${mine.id}`, query: { fields: PROFILE_FIELDS }, headers: bearer(mine.token) }, profileShape)
        : await discover(account, call, PROFILE_FIELDS, profileShape);
      return { externalId: p.id, handle: p.username, displayName: p.name ?? null, bio: p.biography ?? null, followers: p.followers_count, following: p.follows_count ?? null, postsCount: p.media_count ?? null };
    },

    async posts(account, call, page) {
      const mine = own(account);
      const limit = Math.min(page.limit, 100);
      let media: z.infer<typeof mediaPage>;
      if (mine) {
        media = await http.request(call, { path: `/${mine.id}/media`, query: { fields: MEDIA_FIELDS, limit, after: page.cursor }, headers: bearer(mine.token) }, mediaPage);
      } else {
        const after = page.cursor ? `.after(${page.cursor})` : "";
        media = (await discover(account, call, `media.limit(${limit})${after}{${MEDIA_FIELDS}}`, z.object({ media: mediaPage }))).media;
      }
      const items = media.data.map(postOf);
      const fresh = items.filter((p) => p.postedAt >= page.since);
      const more = fresh.length === items.length && Boolean(media.paging?.next) && Boolean(media.paging?.cursors?.after);
      return { items: fresh, next: more ? media.paging!.cursors!.after! : null };
    },

    async comments(account, post, call, page) {
      const mine = own(account);
      if (!mine) return { items: [] };
      const answer = await http.request(call, { path: `/${post.externalId}/comments`, query: { fields: "id,text,timestamp,username", limit: Math.min(page.limit, 50), after: page.cursor }, headers: bearer(mine.token) }, commentsPage);
      const items = answer.data.map((c) => ({ externalId: c.id, author: c.username ?? null, text: c.text ?? "", postedAt: new Date(Date.parse(c.timestamp)) }));
      const after = answer.paging?.next ? answer.paging.cursors?.after : null;
      return { items, next: after ?? null };
    },
  };
}
