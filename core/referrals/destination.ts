import type { CampaignStatus } from "../campaigns/lifecycle.ts";

/** Campaigns whose links answer 410 Gone: the brand has stopped paying for the traffic. */
export const FINISHED: readonly CampaignStatus[] = ["completed", "cancelled"];

/** "Summer Launch 2026!" → "summer-launch-2026", the utm_campaign value analytics tools group by. */
export function slugify(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "campaign";
}

/**
 * Where a link sends people, prepared once per link so each click only adds
 * its click id: the destination with utm_source, utm_medium, utm_campaign and
 * utm_content (the creator's code) set, the brand's other parameters kept, and
 * any #fragment kept last where browsers expect it. Ours win over UTM values
 * already in the URL: per-creator utm_content is what the brand's analytics
 * attribute by.
 */
export interface Target {
  /** Everything up to the query's end; it always has a query (the UTM parameters). */
  head: string;
  /** "#fragment" or "". */
  fragment: string;
}

export function targetOf(destinationUrl: string, o: { campaignName: string; code: string }): Target {
  const url = new URL(destinationUrl);
  const fragment = url.hash;
  url.hash = "";
  url.searchParams.delete("clk");
  url.searchParams.set("utm_source", "clout");
  url.searchParams.set("utm_medium", "referral");
  url.searchParams.set("utm_campaign", slugify(o.campaignName));
  url.searchParams.set("utm_content", o.code);
  return { head: url.toString(), fragment };
}

/** The address one click is sent to: its click id comes back with a conversion. */
export const withClickId = (t: Target, clickId: string): string => `${t.head}&clk=${encodeURIComponent(clickId)}${t.fragment}`;
