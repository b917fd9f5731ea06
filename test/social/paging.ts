import type { AccountRef, CallGate, FetchedComment, FetchedPost, SocialProvider } from "../../core/social/port.ts";

/** A gate that lets every call through and remembers what each took, as the sync's gate would charge it. */
export function countingGate(): CallGate & { taken: number[] } {
  const taken: number[] = [];
  return { taken, take: async (cost) => void taken.push(cost) };
}

/** Every post since `since`, page by page as the sync reads them. */
export async function allPosts(provider: SocialProvider, account: AccountRef, since: Date, limit = 5, gate = countingGate()): Promise<FetchedPost[]> {
  const out: FetchedPost[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await provider.posts(account, { gate }, { since, cursor, limit });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

export async function allComments(provider: SocialProvider, account: AccountRef, post: { externalId: string }, limit = 25, gate = countingGate()): Promise<FetchedComment[]> {
  const out: FetchedComment[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await provider.comments(account, post, { gate }, { cursor, limit });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}
