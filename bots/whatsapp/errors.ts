/** The Graph API refused a call: its HTTP status, WhatsApp's error code and subcode, and its message (never the token or the text sent). */
export class GraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    message: string,
  ) {
    super(`WhatsApp Graph API ${status}${code === undefined ? "" : ` (code ${code})`}: ${message}`);
    this.name = "GraphApiError";
  }
}

/** 131047: more than 24 hours since the person last wrote; only a template may go. */
export class OutsideWindowError extends GraphApiError {
  override name = "OutsideWindowError";
}

/** 131026: the number can't receive the message (not on WhatsApp, an old app, terms not accepted). Retrying won't help. */
export class UndeliverableError extends GraphApiError {
  override name = "UndeliverableError";
}
