import type { ServerInterceptingCallInterface, ServerMethodDefinition } from '@grpc/grpc-js';
import type { ServerHttp2Stream } from 'node:http2';

/**
 * A unary answer in one socket write.
 *
 * grpc-js sends a unary call's status only once its message has been written: the message
 * goes out in one write, and the trailers (`grpc-status`) in a second, a turn of the event
 * loop later. Each write is a system call and a pass through nghttp2, a large part of a small
 * call's cost. This interceptor lets the status follow the message at once: the stream then
 * ends in the same tick, and nghttp2 sends the DATA frame and the trailers together.
 *
 * Nothing else changes. A message that could not be sent (grpc-js answered with an error
 * status itself, or the stream is gone) gets no second status; a write that fails afterwards
 * breaks the connection, as before, and the client sees the call fail.
 */
export function unaryResponseInOneWrite(
  method: ServerMethodDefinition<unknown, unknown>,
  call: ServerInterceptingCallInterface,
): ServerInterceptingCallInterface {
  if (method.responseStream) return call;
  const stream = (call as unknown as { stream?: ServerHttp2Stream }).stream;
  if (!stream) return call;
  const sendMessage = call.sendMessage.bind(call);
  call.sendMessage = (message: unknown, callback: () => void) => {
    let called = false;
    sendMessage(message, () => {
      if (!called) {
        called = true;
        callback();
      }
    });
    // Written (queued on the stream) and not answered otherwise: the status may follow now.
    if (!called && stream.headersSent && !stream.writableEnded && !stream.destroyed) {
      called = true;
      callback();
    }
  };
  return call;
}
