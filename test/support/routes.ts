import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { NOT_ORG_SCOPED, ORG_PERMISSION } from '@/common/org-permission';
import { IS_PUBLIC } from '@/common/public.decorator';
import { ONE_TRANSPORT, RPC_TWIN } from '@/common/transport-parity';
import { ANSWERS_IN_ENVELOPE } from '@/modules/web-client/enveloped';
import type { TestApp } from './app';
import { statusOfEnvelopeCode } from './web-client';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];

export interface Route {
  kind: 'http' | 'rpc';
  /** `GET /api/v1/me` or `UserService/GetMembers`. */
  name: string;
  isPublic: boolean;
  method?: string;
  /** With Nest's `:param` placeholders. */
  path?: string;
  service?: string;
  rpc?: string;
  /** The RPC an HTTP route declares as doing the same (`Service/Method`). */
  twin?: string;
  /** Why only this transport offers the operation. */
  oneTransport?: string;
  /** The permission node an organization-scoped operation needs (`@OrgPermission`). */
  orgPermission?: string;
  /** Why the operation is outside any organization's resources (`@NotOrgScoped`). */
  notOrgScoped?: string;
  /** Answers HTTP 200 with `{code, msg, data}`, errors included (the original web client's). */
  enveloped?: boolean;
}

/**
 * The status a route answered with, as the suites assert statuses: an enveloped route's is
 * its envelope's code (4041 → 404), any other route's the HTTP status.
 */
export async function answeredStatus(route: Route, response: Response): Promise<number> {
  if (!route.enveloped) return response.status;
  if (response.status !== 200) return response.status;
  const body = (await response.json()) as { code?: unknown };
  return typeof body.code === 'number' ? statusOfEnvelopeCode(body.code) : 500;
}

/** Every HTTP route and RPC handler of the application, read from Nest's own metadata. */
export function enumerateRoutes(app: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of app.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new () => object) | null;
      if (!controller) continue;
      const classPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const isPublic = classPublic || Reflect.getMetadata(IS_PUBLIC, handler) === true;
        const twin = Reflect.getMetadata(RPC_TWIN, handler) as string | undefined;
        const oneTransport = Reflect.getMetadata(ONE_TRANSPORT, handler) as string | undefined;
        const orgPermission = Reflect.getMetadata(ORG_PERMISSION, handler) as string | undefined;
        const notOrgScoped = Reflect.getMetadata(NOT_ORG_SCOPED, handler) as string | undefined;
        const pattern = Reflect.getMetadata(PATTERN_METADATA, handler) as
          { service: string; rpc: string }[] | undefined;
        if (pattern) {
          for (const { service, rpc: handlerName } of pattern) {
            // Generated controllers name RPCs in camelCase; the proto (and the wire) in PascalCase.
            const rpc = handlerName.charAt(0).toUpperCase() + handlerName.slice(1);
            routes.push({
              kind: 'rpc',
              name: `${service}/${rpc}`,
              isPublic,
              service,
              rpc,
              oneTransport,
              orgPermission,
              notOrgScoped,
            });
          }
          continue;
        }
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = HTTP_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const full = `/${[prefix, path].filter((part) => part && part !== '/').join('/')}`.replace(
          /\/+/g,
          '/',
        );
        routes.push({
          kind: 'http',
          name: `${method} ${full}`,
          isPublic,
          method,
          path: full,
          twin,
          oneTransport,
          orgPermission,
          notOrgScoped,
          enveloped: Reflect.getMetadata(ANSWERS_IN_ENVELOPE, handler) === true,
        });
      }
    }
  }
  return routes;
}
