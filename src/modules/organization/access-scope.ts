import { Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { decodeId } from '@/common/public-id';

/**
 * Reads which organization a request names: its id, undefined when it names none here. An id
 * that does not decode names nothing: NOT_FOUND, as for any unknown id.
 */
export type OrganizationLocator = (
  context: ExecutionContext,
) => number | undefined | Promise<number | undefined>;

/** REST: the path parameter `organizationId` (`/api/v1/organizations/:organizationId/...`). */
const fromPath: OrganizationLocator = (context) => {
  if (context.getType() !== 'http') return undefined;
  const params = context.switchToHttp().getRequest<FastifyRequest>().params as
    Record<string, string | undefined> | undefined;
  const value = params?.organizationId;
  return value === undefined ? undefined : decodeId(value, 'organization');
};

/** gRPC: the message's `organization_id`. */
const fromMessage: OrganizationLocator = (context) => {
  if (context.getType() !== 'rpc') return undefined;
  const value = context.switchToRpc().getData<{ organizationId?: unknown }>()?.organizationId;
  if (value === undefined) return undefined;
  return decodeId(typeof value === 'string' ? value : '', 'organization');
};

/**
 * Where an organization-scoped operation finds its organization: the request itself, never
 * the caller's token. A transport that names it elsewhere (the original web client's
 * `organizationCode` header) adds its locator; the first that finds one answers.
 */
@Injectable()
export class AccessScope {
  private readonly locators: OrganizationLocator[] = [fromPath, fromMessage];

  addLocator(locator: OrganizationLocator): void {
    this.locators.push(locator);
  }

  async organizationOf(context: ExecutionContext): Promise<number | undefined> {
    for (const locate of this.locators) {
      const organizationId = await locate(context);
      if (organizationId !== undefined) return organizationId;
    }
    return undefined;
  }
}
