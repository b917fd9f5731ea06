import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { hash } from "../../social/simulated/random.ts";
import { closeNow, listenLocally, readBody } from "./local-server.ts";

/**
 * What the four fake social APIs share: accounts made on the fly from the
 * handle (no set-up per creator, so a benchmark can ask for 10,000), a
 * record of the calls, answers forced for the next calls (a 429, a 500),
 * and the server plumbing. Each platform's fake (instagram-api.ts,
 * youtube-api.ts, tiktok-api.ts, x-api.ts) turns these into its own paths,
 * JSON shapes, pagination and error bodies.
 */

export interface FakePost {
  id: string;
  postedAt: Date;
  caption: string;
  likes: number;
  comments: number;
  views: number;
  shares: number;
}

export interface FakeComment {
  id: string;
  author: string;
  text: string;
  postedAt: Date;
}

export interface FakeAccount {
  id: string;
  handle: string;
  name: string;
  bio: string;
  followers: number;
  following: number;
  /** Newest first. */
  posts: FakePost[];
  private: boolean;
}

export interface FakeAccountsOptions {
  /** Milliseconds since the epoch; the posts of an account are laid out back from its first request. Default Date.now. */
  now?: () => number;
  /** Posts per account, one every `everyDays`. Default 10 every 2 days (kept small: a benchmark makes 10,000 accounts a platform). */
  posts?: number;
  everyDays?: number;
  /** Comments on each post. Default 7. */
  commentsPerPost?: number;
  /** The platform's look for ids: `id("account", 12)`. */
  id: (kind: "account" | "post" | "comment", n: number) => string;
}

const COMMENT_TEXTS = ["Love this!", "Amei demais", "Not good, sorry", "Não gostei", "Where is this?", "Onde comprou?", "Great video"];

export class FakeAccounts {
  private readonly byHandle = new Map<string, FakeAccount>();
  private readonly byId = new Map<string, FakeAccount>();
  private readonly postIndex = new Map<string, { account: FakeAccount; post: FakePost }>();
  private readonly gone = new Set<string>();
  private seq = 0;

  constructor(private readonly o: FakeAccountsOptions) {}

  /** The account of a handle, made on first use; undefined once removed. */
  get(handle: string): FakeAccount | undefined {
    const key = handle.toLowerCase();
    if (this.gone.has(key)) return undefined;
    const known = this.byHandle.get(key);
    if (known) return known;
    const account = this.make(key);
    this.byHandle.set(key, account);
    this.byId.set(account.id, account);
    for (const post of account.posts) this.postIndex.set(post.id, { account, post });
    return account;
  }

  byExternalId(id: string): FakeAccount | undefined {
    const account = this.byId.get(id);
    return account && !this.gone.has(account.handle) ? account : undefined;
  }

  post(id: string): { account: FakeAccount; post: FakePost } | undefined {
    const found = this.postIndex.get(id);
    return found && !this.gone.has(found.account.handle) ? found : undefined;
  }

  /** Oldest first, as the post's comment count says. */
  comments(post: FakePost): FakeComment[] {
    return Array.from({ length: post.comments }, (_, i) => ({
      id: `${post.id}_${i}`,
      author: `fan${hash(post.id, i) % 1000}`,
      text: COMMENT_TEXTS[i % COMMENT_TEXTS.length]!,
      postedAt: new Date(post.postedAt.getTime() + (i + 1) * 60_000),
    }));
  }

  remove(handle: string): void {
    this.gone.add(handle.toLowerCase());
  }

  makePrivate(handle: string): void {
    this.get(handle)!.private = true;
  }

  private make(handle: string): FakeAccount {
    const seed = hash("fake", handle);
    const now = (this.o.now ?? Date.now)();
    const every = (this.o.everyDays ?? 2) * 86_400_000;
    const followers = 1_000 + (seed % 500_000);
    const posts = Array.from({ length: this.o.posts ?? 10 }, (_, i): FakePost => {
      const likes = Math.round(followers * (0.02 + (hash(seed, i) % 40) / 1000));
      return {
        id: this.o.id("post", ++this.seq),
        // Spread back from now, an hour off the day so posts never sit exactly on a `since`.
        postedAt: new Date(now - i * every - 3_600_000),
        caption: `Post ${i + 1} by @${handle} #fake`,
        likes,
        comments: this.o.commentsPerPost ?? 7,
        views: likes * 12,
        shares: Math.round(likes / 20),
      };
    });
    return { id: this.o.id("account", ++this.seq), handle, name: handle.replace(/[._]/g, " "), bio: `Bio of ${handle}`, followers, following: 100 + (seed % 900), posts, private: false };
  }
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON or form body, {} when none. */
  body: Record<string, unknown>;
}

export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface SocialFakeServer {
  url: string;
  /** Every request answered, in order (off with `record: false` for benchmarks; `requests` still counts). */
  calls: (FakeRequest & { status: number })[];
  requests: number;
  /** When each request arrived (Date.now(), kept even with `record: false`), for measuring achieved rates. */
  arrivals: number[];
  /** The next `times` requests get this answer instead of the real one. */
  force(answer: FakeAnswer, times?: number): void;
  close(): Promise<void>;
}

export async function startSocialFake(route: (req: FakeRequest) => FakeAnswer, o: { record?: boolean } = {}): Promise<SocialFakeServer> {
  const forced: FakeAnswer[] = [];
  const fake: Omit<SocialFakeServer, "url" | "close"> = {
    calls: [],
    requests: 0,
    arrivals: [],
    force: (answer, times = 1) => forced.push(...Array.from({ length: times }, () => answer)),
  };
  const { server, port } = await listenLocally(async (req: IncomingMessage, res: ServerResponse) => {
    fake.arrivals.push(Date.now());
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = (await readBody(req)).toString("utf8");
    const type = req.headers["content-type"] ?? "";
    const body = raw === "" ? {} : type.includes("json") ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
    const request: FakeRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body };
    const answer = forced.shift() ?? route(request);
    fake.requests++;
    if (o.record !== false) fake.calls.push({ ...request, status: answer.status });
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
  });
  return Object.assign(fake, { url: `http://127.0.0.1:${port}`, close: () => closeNow(server) });
}

/** A cursor over a list: the offset, opaque-looking as platforms' are. */
export const cursorOf = (offset: number): string => Buffer.from(`offset:${offset}`).toString("base64url");
export const offsetOf = (cursor: string | null | undefined): number => (cursor ? Number(Buffer.from(cursor, "base64url").toString().replace("offset:", "")) || 0 : 0);
