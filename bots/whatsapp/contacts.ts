import type { Db } from "../../db/database.ts";
import { SERVICE_WINDOW_MS } from "./limits.ts";
import type { DeliveryStatus } from "./transport.ts";

/** What Clout knows of a number before it sends: opted out, and whether WhatsApp's 24-hour window is open. */
export interface ContactState {
  optedOut: boolean;
  windowOpen: boolean;
}

/** WhatsApp numbers (E.164, with "+") and their STOP/START and last-inbound times, in PostgreSQL. */
export class WhatsAppContacts {
  constructor(private readonly db: Db) {}

  /** Each message from the number reopens the window; a late redelivery never moves it back. */
  async heardFrom(phone: string, at: Date): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO whatsapp_contacts (phone, last_inbound_at, updated_at) VALUES (${phone}, ${at}, ${at})
      ON CONFLICT (phone) DO UPDATE SET
        last_inbound_at = GREATEST(whatsapp_contacts.last_inbound_at, EXCLUDED.last_inbound_at),
        updated_at = EXCLUDED.updated_at`;
  }

  /** STOP (`at` set) or START (null). */
  async optOut(phone: string, at: Date | null, now: Date): Promise<void> {
    await this.db.whatsappContact.upsert({ where: { phone }, create: { phone, optedOutAt: at, updatedAt: now }, update: { optedOutAt: at, updatedAt: now } });
  }

  async state(phone: string, now: Date): Promise<ContactState> {
    const c = await this.db.whatsappContact.findUnique({ where: { phone } });
    return { optedOut: Boolean(c?.optedOutAt), windowOpen: !!c?.lastInboundAt && now.getTime() - c.lastInboundAt.getTime() < SERVICE_WINDOW_MS };
  }

  /** A message the platform accepted; its statuses follow by webhook (and may even arrive first). */
  async sent(wamid: string, phone: string, at: Date): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO whatsapp_messages (wamid, phone, status, sent_at, updated_at) VALUES (${wamid}, ${phone}, 'accepted', ${at}, ${at})
      ON CONFLICT (wamid) DO NOTHING`;
  }

  /**
   * Statuses only move forward (accepted → sent → delivered → read; failed
   * ends it): webhooks arrive out of order, and a late "sent" must not undo "read".
   */
  async status(s: DeliveryStatus, now: Date): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO whatsapp_messages AS m (wamid, phone, status, error_code, sent_at, updated_at)
      VALUES (${s.id}, ${s.phone}, ${s.status}, ${s.errorCode ?? null}::integer, ${s.at}, ${now})
      ON CONFLICT (wamid) DO UPDATE SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, updated_at = EXCLUDED.updated_at
      WHERE array_position(ARRAY['accepted', 'sent', 'delivered', 'read', 'failed'], m.status)
          < array_position(ARRAY['accepted', 'sent', 'delivered', 'read', 'failed'], EXCLUDED.status)`;
  }
}
