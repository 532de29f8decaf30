/**
 * A configuration that cannot be used. Messages name the offending path and never echo the
 * value, because values include passwords and secrets.
 */
export class ConfigInvalidError extends Error {
  constructor(
    readonly problems: string[],
    readonly origin: string,
  ) {
    super(`${origin}: ${problems.join('; ')}`);
    this.name = 'ConfigInvalidError';
  }
}
