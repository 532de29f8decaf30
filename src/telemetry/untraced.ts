/**
 * Traffic that is neither traced nor counted in request metrics: probes, scrapes and the API
 * docs. They would otherwise outnumber real requests and bury them.
 */
const UNTRACED_PATH = /^\/(?:health(?:[/?]|$)|metrics(?:[/?]|$)|docs(?:[-/?]|$)|favicon\.ico$)/;

export function isUntracedPath(url: string | undefined): boolean {
  return url !== undefined && UNTRACED_PATH.test(url);
}

/**
 * gRPC methods left out, by method name: instrumentation-grpc matches only the last path
 * segment, so these names are reserved for the health and reflection services.
 */
export const UNTRACED_GRPC_METHODS = ['Check', 'Watch', 'ServerReflectionInfo'];

const UNTRACED_GRPC_SERVICES = ['/grpc.health.v1.Health/', '/grpc.reflection.'];

/** The same rule on a full path (`/grpc.health.v1.Health/Check`), for the RPC metrics. */
export function isUntracedGrpcPath(path: string): boolean {
  return UNTRACED_GRPC_SERVICES.some((prefix) => path.startsWith(prefix));
}
