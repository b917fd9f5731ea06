import type { WebClient } from "@slack/web-api";
import type { Reply } from "../../core/reply.ts";

export interface ImageDestination {
  channel: string;
  user: string;
  /** The reply was private: a file can't be ephemeral, so it goes to the person's own conversation with Clout. */
  private: boolean;
  threadTs?: string;
}

/**
 * A reply's images (QR codes, charts) and documents (receipts) uploaded where
 * its text went, with files.uploadV2. Where the channel won't take the bot's
 * files (a channel it isn't in), they go to the person's DM instead: the file
 * is never lost.
 */
export async function uploadFiles(client: WebClient, to: ImageDestination, reply: Pick<Reply, "images" | "files">): Promise<void> {
  const file_uploads = [
    ...(reply.images ?? []).map((i) => ({ file: Buffer.from(i.png), filename: i.filename, ...(i.alt.trim() ? { alt_text: i.alt.slice(0, 1000) } : {}) })),
    ...(reply.files ?? []).map((f) => ({ file: Buffer.from(f.bytes), filename: f.filename, title: f.filename })),
  ];
  if (file_uploads.length === 0) return;
  const dm = async () => (await client.conversations.open({ users: to.user })).channel?.id ?? to.user;
  if (!to.private) {
    try {
      await client.filesUploadV2({ channel_id: to.channel, file_uploads, ...(to.threadTs ? { thread_ts: to.threadTs } : {}) });
      return;
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== "not_in_channel") throw err;
    }
  }
  await client.filesUploadV2({ channel_id: await dm(), file_uploads });
}
