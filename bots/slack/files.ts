import type { WebClient } from "@slack/web-api";
import type { ReplyImage } from "../../core/reply.ts";

export interface ImageDestination {
  channel: string;
  user: string;
  /** The reply was private: a file can't be ephemeral, so it goes to the person's own conversation with Clout. */
  private: boolean;
  threadTs?: string;
}

/**
 * A reply's images (QR codes, charts) uploaded where its text went, with
 * files.uploadV2. Where the channel won't take the bot's files (a channel it
 * isn't in), they go to the person's DM instead: the image is never lost.
 */
export async function uploadImages(client: WebClient, to: ImageDestination, images: ReplyImage[]): Promise<void> {
  if (images.length === 0) return;
  const file_uploads = images.map((i) => ({ file: Buffer.from(i.png), filename: i.filename, ...(i.alt.trim() ? { alt_text: i.alt.slice(0, 1000) } : {}) }));
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
