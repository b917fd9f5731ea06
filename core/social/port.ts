import type { SocialPlatform } from "../creators/handles.ts";

export type { SocialPlatform };

/**
 * The social platforms' side of the metrics sync: one provider per platform
 * (social/<platform>/), plus the simulated one for a demo with no keys. The
 * core knows only this contract; the composition root picks the providers.
 */

/** The account a sync reads: its handle, the platform's id once known, and the creator's token if they connected one. */
export interface AccountRef {
  platform: SocialPlatform;
  handle: string;
  externalId?: string | null;
  /** The creator's OAuth token, already opened from its sealed form; providers that use app keys ignore it. */
  token?: string | null;
}

export interface FetchedProfile {
  externalId: string;
  handle: string;
  displayName?: string | null;
  bio?: string | null;
  followers: number;
  following?: number | null;
  postsCount?: number | null;
  /** Lifetime views, where the platform counts them (YouTube channels, TikTok likes are not views). */
  views?: number | null;
}

export interface FetchedPost {
  externalId: string;
  postedAt: Date;
  /** image, video, reel, short, tweet … as the platform names it. */
  kind?: string | null;
  caption: string;
  url?: string | null;
  likes: number;
  comments: number;
  shares?: number | null;
  views?: number | null;
}

export interface FetchedComment {
  externalId: string;
  author?: string | null;
  text: string;
  postedAt: Date;
}

/** One page of a paginated listing; `next` is the platform's cursor, absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: string | null;
}

/**
 * Every HTTP call a provider makes first takes its cost (in the platform's
 * quota unit: YouTube units, requests elsewhere) from the gate, which waits
 * or throws a `rate_limited` ProviderError so the job is retried later.
 * Shared by all workers, so quotas hold across processes.
 */
export interface CallGate {
  take(cost: number): Promise<void>;
}

export interface ProviderCall {
  gate: CallGate;
  signal?: AbortSignal;
}

export interface SocialProvider {
  readonly platform: SocialPlatform;
  profile(account: AccountRef, call: ProviderCall): Promise<FetchedProfile>;
  /** Newest first; a provider stops paging itself once posts are older than `since`. */
  posts(account: AccountRef, call: ProviderCall, page: { since: Date; cursor?: string | null; limit: number }): Promise<Page<FetchedPost>>;
  comments(account: AccountRef, post: { externalId: string }, call: ProviderCall, page: { cursor?: string | null; limit: number }): Promise<Page<FetchedComment>>;
}

export type Providers = Partial<Record<SocialPlatform, SocialProvider>>;

/**
 * Why a call failed, in the sync's terms. `token_expired`, `private` and
 * `not_found` are permanent (retrying cannot fix them: they are recorded and
 * shown to admins); `rate_limited` waits `retryAfterMs`; `unavailable` is
 * retried with backoff; `bad_response` means the platform answered something
 * we cannot read.
 */
export type ProviderErrorKind = "token_expired" | "private" | "not_found" | "rate_limited" | "unavailable" | "bad_response";

export class ProviderError extends Error {
  constructor(
    readonly platform: SocialPlatform,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }

  get permanent(): boolean {
    return this.kind === "token_expired" || this.kind === "private" || this.kind === "not_found" || this.kind === "bad_response";
  }
}
