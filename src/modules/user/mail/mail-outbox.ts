import { Injectable } from '@nestjs/common';

/** One mail as msproject writes it: plain text to one address. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** The newest mails kept; older ones are dropped. */
const KEPT = 200;

/**
 * The mails of `mail.transport: capture`, kept in this process instead of being sent (tests
 * and development read them here); never written to a log.
 */
@Injectable()
export class MailOutbox {
  private readonly mails: OutgoingMail[] = [];

  keep(mail: OutgoingMail): void {
    this.mails.push(mail);
    if (this.mails.length > KEPT) this.mails.shift();
  }

  /** The mails sent to `address`, oldest first. */
  sentTo(address: string): OutgoingMail[] {
    const wanted = address.toLowerCase();
    return this.mails.filter((mail) => mail.to.toLowerCase() === wanted);
  }
}
