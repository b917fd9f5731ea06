import { z } from "zod";
import type { ArgDef } from "../commands/args.ts";

export const SOCIAL_PLATFORMS = ["instagram", "youtube", "tiktok", "x"] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

/** What each platform allows in a handle, kept as data beside its test. */
export const HANDLE_RULES: Record<SocialPlatform, { pattern: RegExp; example: string }> = {
  instagram: { pattern: /^[a-z0-9._]{1,30}$/, example: "murugi" },
  youtube: { pattern: /^[a-z0-9._-]{3,30}$/, example: "murugichannel" },
  tiktok: { pattern: /^[a-z0-9._]{2,24}$/, example: "murugi.w" },
  x: { pattern: /^[a-z0-9_]{1,15}$/, example: "murugi_w" },
};

/** Accepts "@murugi", "murugi" or a profile URL, and stores the bare lower-case handle. */
export function normalizeHandle(raw: string): string {
  const trimmed = raw.trim();
  const fromUrl = /^(?:https?:\/\/)?(?:www\.)?(?:instagram\.com|youtube\.com|tiktok\.com|x\.com|twitter\.com)\/@?([^/?#]+)/i.exec(trimmed);
  return (fromUrl ? fromUrl[1]! : trimmed).replace(/^@/, "").toLowerCase();
}

export function handleArg(platform: SocialPlatform): ArgDef<string> {
  const rule = HANDLE_RULES[platform];
  return {
    kind: "text",
    positional: false,
    required: true,
    help: `creator.arg.${platform}`,
    example: rule.example,
    schema: z.string().transform(normalizeHandle).pipe(z.string().regex(rule.pattern, { message: "arg.handle" })),
  };
}
