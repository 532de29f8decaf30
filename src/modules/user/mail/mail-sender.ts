import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type * as Nodemailer from 'nodemailer';
import { Problem } from '@/common/problem';
import { ConfigCenter } from '@/config/config-center';
import type { AppConfig } from '@/config/schema';
import { MailOutbox, type OutgoingMail } from './mail-outbox';

/** Thrown where mail.transport is none: the operation needs a mail that cannot go out. */
export const mailNotConfigured = () =>
  new Problem(
    503,
    'mail_not_configured',
    'this msproject sends no mail (mail.transport is none): ask an administrator',
  );

/**
 * Sends msproject's mails as `mail` configures, read at each send (a reload applies to the
 * next mail). What a mail says is never logged: it may hold a code or a link that is a
 * credential.
 */
@Injectable()
export class MailSender {
  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly outbox: MailOutbox,
    private readonly center: ConfigCenter,
  ) {}

  /** Whether a mail can go out at all. */
  get configured(): boolean {
    return this.config.get('mail', { infer: true }).transport !== 'none';
  }

  async send(mail: OutgoingMail): Promise<void> {
    const settings = this.config.get('mail', { infer: true });
    if (settings.transport === 'none') throw mailNotConfigured();
    if (settings.transport === 'capture') {
      this.outbox.keep(mail);
      return;
    }
    const { smtp } = settings;
    // nodemailer loads with the first mail sent over SMTP.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createTransport } = require('nodemailer') as typeof Nodemailer;
    const transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.username ? { user: smtp.username, pass: smtp.password } : undefined,
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
    });
    try {
      await transport.sendMail({ from: settings.from, ...mail });
    } catch (error) {
      // The server's answer may quote the message: only its code is kept.
      const code = (error as { code?: unknown }).code;
      this.center.logger.error(
        { code: typeof code === 'string' ? code : 'unknown' },
        'mail not sent',
      );
      throw Problem.unavailable(30);
    } finally {
      transport.close();
    }
  }
}
