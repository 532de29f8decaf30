/**
 * A gRPC controller for the generated service interface `T` (src/generated): every RPC of the
 * proto is a method (a missing one is a compile error), and each answers the generated
 * response message. Parameters are free: decorators hand methods the validated message,
 * subject ids as numbers and the caller.
 */
export type GrpcService<T> = {
  [Method in keyof T]: T[Method] extends (...args: never[]) => infer Answer
    ? (...args: never[]) => Answer
    : never;
};
