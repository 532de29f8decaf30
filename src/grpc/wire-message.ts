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

/**
 * `view` typed as the message it encodes to. Nothing is copied: the server's serializer
 * (protobufjs `fromObject`) leaves a null field unset, at any depth, as it does an absent one.
 */
export function wireMessage<T>(view: T): WireMessage<T> {
  return view as WireMessage<T>;
}
