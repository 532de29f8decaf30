import { Writable } from 'node:stream';

/** Collects every log line an app writes, so that tests can search them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(line);
    callback();
  }

  get text(): string {
    return this.lines.join('\n');
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Resolves with the first line (parsed) matching `predicate`, now or later. */
  waitFor(
    predicate: (entry: Record<string, unknown>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Record<string, unknown>> {
    const found = this.entries().find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('line', onLine);
        reject(new Error('log line not seen in time'));
      }, timeoutMs);
      const onLine = () => {
        const match = this.entries().find(predicate);
        if (match) {
          clearTimeout(timer);
          this.off('line', onLine);
          resolve(match);
        }
      };
      this.on('line', onLine);
    });
  }

  override write(chunk: unknown, ...rest: never[]): boolean {
    const result = super.write(chunk, ...rest);
    this.emit('line');
    return result;
  }
}
