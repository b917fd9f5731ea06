/**
 * Port: claims an inbound event id for processing. True the first time; false
 * for a redelivery (a platform retry, a duplicate webhook), even when both
 * arrive at once.
 */
export interface EventClaims {
  claim(source: string, eventId: string): Promise<boolean>;
}
