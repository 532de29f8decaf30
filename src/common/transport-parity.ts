import { SetMetadata } from '@nestjs/common';

export const RPC_TWIN = 'msproject:rpc-twin';
export const ONE_TRANSPORT = 'msproject:one-transport';

/**
 * The RPC (`Service/Method`, as in proto/) that does what this REST operation does: the same
 * service call under the same rules. A test holds the two transports to each other.
 */
export const RpcTwin = (rpc: `${string}/${string}`): MethodDecorator => SetMetadata(RPC_TWIN, rpc);

/** An operation that only one transport offers, and why (file bytes over REST only, say). */
export const OneTransportOnly = (reason: string): MethodDecorator =>
  SetMetadata(ONE_TRANSPORT, reason);
