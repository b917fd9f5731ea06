/**
 * The one reply contract between the core and every chat adapter.
 *
 * A reply is data. Text uses a small markdown subset that every adapter can
 * render: **bold**, _italic_, `code`, [label](https://url) links, and lines
 * starting with "- " as bullets. Adapters render within their platform's limits,
 * truncating or paging, never failing.
 */
export interface Reply {
  title?: string;
  text?: string;
  fields?: ReplyField[];
  table?: ReplyTable;
  buttons?: ReplyButton[];
  images?: ReplyImage[];
  /** Documents (a PDF receipt) sent as files after the message; where a platform keeps a reply to one message, files follow it as messages of their own. */
  files?: ReplyFile[];
  /** Shown only to the person who asked, where the platform can. */
  ephemeral?: boolean;
  /**
   * The reply shows something whose state will change. An adapter that can
   * edit its messages posts it as one and remembers where (rememberMessage),
   * so each change edits it in place and answers follow in its thread.
   */
  track?: Tracked;
  tone?: "info" | "success" | "warning" | "error";
}

export interface Tracked {
  /** An invitation card, or an on-demand sync's progress (issue #8). */
  kind: "invitation" | "sync_run";
  id: string;
  workspaceId: string;
}

export interface ReplyField {
  label: string;
  value: string;
  /** Short values that can sit side by side. */
  inline?: boolean;
}

export interface ReplyTable {
  columns: string[];
  rows: string[][];
  /** How many rows exist in all, when `rows` is one page of them. */
  total?: number;
}

export interface ReplyButton {
  label: string;
  /** The command line this button runs for whoever clicks it (RBAC applies then). */
  command: string;
  style?: "primary" | "danger";
  /** The workspace the command runs in (set by the core): its signature verifies only for that workspace's members. */
  scope?: string;
}

export interface ReplyImage {
  /** PNG bytes. */
  png: Uint8Array;
  alt: string;
  filename: string;
}

export interface ReplyFile {
  bytes: Uint8Array;
  /** What the person saves it as: "receipt-12-advance.pdf". */
  filename: string;
  /** Its media type: "application/pdf". */
  mime: string;
}

/** The reply with its buttons bound to the workspace they act in (see ReplyButton.scope). */
export function scoped(reply: Reply, workspaceId: string): Reply {
  return reply.buttons?.length ? { ...reply, buttons: reply.buttons.map((b) => ({ ...b, scope: workspaceId })) } : reply;
}
