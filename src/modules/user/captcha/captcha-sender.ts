import { Injectable } from '@nestjs/common';
import { ConfigCenter } from '@/config/config-center';

/** Delivers a registration code to a mobile number (SMS in production). */
export abstract class CaptchaSender {
  abstract send(mobile: string, code: string): Promise<void>;
}

/**
 * The default sender only notes, at debug level, that a code went out — never the code
 * itself, which is a credential. Development gets codes through `captcha.exposeInResponse`.
 */
@Injectable()
export class LoggingCaptchaSender extends CaptchaSender {
  constructor(private readonly center: ConfigCenter) {
    super();
  }

  send(mobile: string): Promise<void> {
    this.center.logger.debug({ mobile: `***${mobile.slice(-4)}` }, 'captcha issued');
    return Promise.resolve();
  }
}
