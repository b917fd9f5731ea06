import type { MessageKey, MessageVars } from "./i18n/t.ts";

/**
 * A failure the user can act on. It carries a message key, not text, so the
 * edge can say it in the user's language; nothing here is ever a stack trace.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: "usage" | "not_found" | "forbidden" | "conflict" | "illegal_transition" | "rate_limited";
  constructor(
    readonly key: MessageKey,
    readonly vars: MessageVars = {},
    /** A command line that would work, shown under the message. */
    readonly example?: string,
  ) {
    super(key);
    this.name = new.target.name;
  }
}

/** The input was malformed: which part, and what right looks like. */
export class UsageError extends DomainError {
  readonly kind = "usage";
}

/** Nothing by that name or number here (also what other tenants' ids look like). */
export class NotFoundError extends DomainError {
  readonly kind = "not_found";
}

/** The caller's role may not do this. */
export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
}

/** It clashes with what is stored (a duplicate name, an identity already linked). */
export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

/** A lifecycle move the current state does not allow. */
export class IllegalTransitionError extends DomainError {
  readonly kind = "illegal_transition";
}

/** Too many requests in a sliding window: how many seconds until one more is allowed. */
export class RateLimitedError extends DomainError {
  readonly kind = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super("error.rate_limited", { seconds: retryAfterSeconds });
  }
}
