/**
 * A view as a gRPC message: proto3 has no null, so what a view says is null travels unset (the
 * reader sees the field's default: "" for a string, no message for a message field).
 */
export type WireMessage<T> = T extends Date
  ? T
  : T extends readonly (infer Item)[]
    ? WireMessage<Item>[]
    : T extends object
      ? { [Key in keyof T]: WireMessage<Exclude<T[Key], null>> }
      : T;

/** `view` with every null (at any depth) left unset, typed as the message it encodes to. */
export function wireMessage<T>(view: T): WireMessage<T> {
  return strip(view) as WireMessage<T>;
}

function strip(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(strip);
  if (value instanceof Date || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, strip(item)]));
}
