import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import type { SecretBox } from "../secrets.ts";

/**
 * A brand's shop calls the public API with one credential, in either of two
 * ways: the whole key as a bearer token ("clout_<id>_<secret>"), or the key
 * id with an HMAC-SHA256 signature of "<timestamp>.<body>" under the secret,
 * so the secret never travels. A signature is good for five minutes either
 * side of its timestamp; a replay inside that window can only repeat an
 * idempotent request.
 */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;
const PREFIX = "clout_";

export interface IssuedKey {
  id: string;
  /** Shown once, never stored in the clear. */
  key: string;
  secret: string;
}

export function newKey(id: string): IssuedKey {
  const secret = randomBytes(32).toString("base64url");
  return { id, secret, key: `${PREFIX}${id.replace(/-/g, "")}_${secret}` };
}

/** The header value a shop sends: "v1=<hex>". */
export function signatureFor(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type ApiCaller = { workspaceId: string; credentialId: string; name: string };

/** Why a request was refused, in words a shop's developer can act on. */
export type ApiRefusal = { code: "missing_credentials" | "bad_key" | "revoked" | "bad_signature" | "stale_timestamp"; message: string };

export type ApiAuthResult = { ok: true; caller: ApiCaller } | { ok: false; refusal: ApiRefusal };

export interface ApiRequestAuth {
  /** Authorization header ("Bearer clout_…"). */
  authorization?: string;
  /** X-Clout-Key: the credential id, with a signature instead of the key. */
  keyId?: string;
  timestamp?: string;
  signature?: string;
  body: string;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const refuse = (code: ApiRefusal["code"], message: string): ApiAuthResult => ({ ok: false, refusal: { code, message } });

/** Checks a request's credentials against the workspace's stored (sealed) secrets. */
export async function authenticateApi(deps: { db: Db; vault: SecretBox; clock: Clock }, req: ApiRequestAuth): Promise<ApiAuthResult> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? "")?.[1];
  let id: string;
  let given: { secret: string } | { signature: string; timestamp: string };
  if (bearer) {
    const m = /^clout_([0-9a-f]{32})_([A-Za-z0-9_-]{20,})$/.exec(bearer);
    if (!m) return refuse("bad_key", "The API key is not one Clout issued. It looks like clout_<32 hex>_<secret>; create one with `apikey create shop`.");
    id = m[1]!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
    given = { secret: m[2]! };
  } else if (req.keyId && req.signature && req.timestamp) {
    if (!/^[0-9a-f-]{36}$/.test(req.keyId)) return refuse("bad_key", "X-Clout-Key must be the key's id (a UUID), shown by `apikey create`.");
    const at = Number(req.timestamp) * 1000;
    if (!Number.isFinite(at) || Math.abs(deps.clock.now().getTime() - at) > SIGNATURE_WINDOW_MS) {
      return refuse("stale_timestamp", "X-Clout-Timestamp must be the current Unix time in seconds (within 5 minutes); sign each request when you send it.");
    }
    id = req.keyId;
    given = { signature: req.signature, timestamp: req.timestamp };
  } else {
    return refuse("missing_credentials", "Send `Authorization: Bearer <API key>`, or sign the body: X-Clout-Key, X-Clout-Timestamp and X-Clout-Signature: v1=<hex HMAC-SHA256 of \"<timestamp>.<body>\">.");
  }
  const credential = await deps.db.apiCredential.findUnique({ where: { id } });
  if (!credential) return refuse("bad_key", "No API key with that id; create one with `apikey create shop`.");
  if (credential.revokedAt) return refuse("revoked", `The API key "${credential.name}" was revoked; create a new one with \`apikey create\`.`);
  const secret = deps.vault.open(credential.sealedSecret);
  const good = "secret" in given ? same(given.secret, secret) : same(given.signature, signatureFor(secret, given.timestamp, req.body));
  if (!good) return "secret" in given ? refuse("bad_key", "The API key's secret does not match.") : refuse("bad_signature", "X-Clout-Signature does not match the body: sign exactly the bytes you send, as v1=<hex HMAC-SHA256 of \"<timestamp>.<body>\">.");
  return { ok: true, caller: { workspaceId: credential.workspaceId, credentialId: credential.id, name: credential.name } };
}
