import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  StreamableFile,
  type Type,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@/common/api-docs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rateLimitClient } from '@/common/client-ip';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { Problem } from '@/common/problem';
import { PROBLEM_WRITER } from '@/common/problem-response';
import { decodeId } from '@/common/public-id';
import { Public } from '@/common/public.decorator';
import { OneTransportOnly } from '@/common/transport-parity';
import { ZodValidationPipe } from '@/common/zod-validation';
import type { AppConfig } from '@/config/schema';
import { CALLER, type Caller } from '@/modules/user/auth/access-token.guard';
import { AcceptsDownloadPass } from '@/modules/user/auth/download-passes';
import { resolveAvatars } from './client-avatars';
import { subjectsOf, withDeclaredNames, type ClientRoute } from './client-route';
import { ok, sendEnvelopeProblem, type Envelope } from './envelope';
import { ANSWERS_IN_ENVELOPE } from './enveloped';
import { ApiMultipartBody } from '@/modules/file/api/v1/upload-docs';
import { FORM, WEB_CLIENT_ROUTE } from './form-body';
import type { WebClientCall } from './web-client-call';
import { WebClientServices } from './web-client-services';

const ONE_TRANSPORT = 'the original web client speaks REST only';

/** Fastify route config of every client route: its errors in the envelope, its form strict. */
const ROUTE_CONFIG = { [PROBLEM_WRITER]: sendEnvelopeProblem, [WEB_CLIENT_ROUTE]: true };

/** `project/task/save` → `project_task_save`: a method name per route. */
function methodName(path: string): string {
  return path.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The form of a request: urlencoded (Fastify's parser made it an object) or nothing. */
function formOf(request: FastifyRequest): Record<string, unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (type !== FORM || typeof body !== 'object' || Array.isArray(body)) {
    throw new Problem(415, 'unsupported_media_type', `the body must be ${FORM}`);
  }
  return { ...(body as Record<string, unknown>) };
}

/** What the route acts on, when named by an id that does not decode, is not found. */
function checkSubject(route: ClientRoute, form: Record<string, unknown>): void {
  for (const subject of subjectsOf(route.params)) {
    const value = form[subject.field];
    if (typeof value === 'string' && value !== '') decodeId(value, subject.kind);
  }
}

/** Each request's organization, looked up once: the organization guard asks first, then the route. */
const organizationOfRequest = new WeakMap<FastifyRequest, Promise<number>>();

/**
 * The client's current organization: its `organizationCode` header, which must name one of the
 * member's organizations with an enabled account (else 403), or without one the member's first.
 */
export function currentOrganization(
  request: FastifyRequest,
  services: WebClientServices,
  memberId: number,
): Promise<number> {
  let found = organizationOfRequest.get(request);
  if (!found) {
    found = lookUpOrganization(request, services, memberId);
    organizationOfRequest.set(request, found);
  }
  return found;
}

async function lookUpOrganization(
  request: FastifyRequest,
  services: WebClientServices,
  memberId: number,
): Promise<number> {
  const organizations = await services.users.organizations(memberId);
  const header = request.headers.organizationcode;
  const wanted = typeof header === 'string' && header !== '' ? header : undefined;
  const chosen = wanted
    ? organizations.find((organization) => organization.id === wanted)
    : organizations[0];
  if (!chosen) throw Problem.forbidden('not one of your organizations');
  return decodeId(chosen.id, 'organization');
}

/**
 * One controller for the client's routes, built from their declarations: each a POST at the
 * client's path under `prefix`, answering HTTP 200 with the envelope (errors too, through the
 * route's own problem writer), declared REST-only and scoped like every other operation.
 */
export function webClientController(routes: readonly ClientRoute[], prefix: string): Type {
  @ApiTags('original web client')
  @Controller(prefix.replace(/^\//, ''))
  class WebClientController {
    constructor(
      @Inject(WebClientServices) readonly services: WebClientServices,
      @Inject(ConfigService) readonly config: ConfigService<AppConfig, true>,
    ) {}

    async answer(
      route: ClientRoute,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<Envelope> {
      const form = withDeclaredNames(route, formOf(request));
      checkSubject(route, form);
      const params: unknown = new ZodValidationPipe(route.params).transform(form);
      const caller = (request as FastifyRequest & { [CALLER]?: Caller })[CALLER];
      const services = this.services;
      const call: WebClientCall<unknown> = {
        params,
        caller,
        get memberId() {
          if (!caller) throw Problem.unauthenticated();
          return caller.memberId;
        },
        // Only the few routes behind a rate limit read it.
        get ip() {
          return rateLimitClient(request.ip);
        },
        request,
        reply,
        timeZone: this.config.get('webClient', { infer: true }).timeZone,
        fileUrl: (fileId) =>
          this.config.get('webClient', { infer: true }).linkBase +
          services.files.linkTo(call.memberId, fileId).url,
        linkBase: this.config.get('webClient', { infer: true }).linkBase,
        organization: () => currentOrganization(request, services, call.memberId),
        services,
      };
      const data = await route.handle(call as WebClientCall<never>);
      if (route.download) {
        if (!(data instanceof StreamableFile)) throw new Error(`${route.path} answered no file`);
        return data as unknown as Envelope;
      }
      const { linkBase } = this.config.get('webClient', { infer: true });
      const envelope = ok(
        resolveAvatars(data, (memberId) => linkBase + services.avatars.linkTo(memberId)),
      );
      return route.answer ? (route.answer(envelope) as Envelope) : envelope;
    }
  }

  const prototype = WebClientController.prototype as unknown as Record<string, unknown>;
  for (const route of routes) {
    const name = methodName(route.path);
    prototype[name] = function (
      this: WebClientController,
      request: FastifyRequest,
      reply: FastifyReply,
    ) {
      return this.answer(route, request, reply);
    };
    Req()(prototype, name, 0);
    // Passed through: Nest still writes the answer; handlers only add headers (cookies).
    Res({ passthrough: true })(prototype, name, 1);
    const scope =
      'orgPermission' in route.scope
        ? OrgPermission(route.scope.orgPermission)
        : NotOrgScoped(route.scope.notOrgScoped);
    if (route.download) {
      const downloadDecorators: MethodDecorator[] = [
        Get(route.path),
        AcceptsDownloadPass(),
        OneTransportOnly(ONE_TRANSPORT),
        scope,
        ApiOperation({ summary: route.summary, description: route.note }),
        ApiProduces(route.download.produces),
        ApiBearerAuth(),
      ];
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
      const decorated = Reflect.decorate(downloadDecorators, prototype, name, descriptor) as
        PropertyDescriptor | undefined;
      Object.defineProperty(prototype, name, decorated ?? descriptor);
      continue;
    }
    const decorators: MethodDecorator[] = [
      Post(route.path),
      HttpCode(200),
      RouteConfig(ROUTE_CONFIG),
      ANSWERS_IN_ENVELOPE_DECORATOR,
      OneTransportOnly(ONE_TRANSPORT),
      scope,
      ApiOperation({ summary: route.summary, description: route.note }),
      ...(route.multipart
        ? [ApiMultipartBody(route.multipart)]
        : [
            ApiConsumes(FORM),
            ApiBody({
              required: false,
              schema: () => z.toJSONSchema(route.params, { io: 'input' }),
            }),
          ]),
      ...(route.public ? [Public()] : [ApiBearerAuth()]),
    ];
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
    const decorated = Reflect.decorate(decorators, prototype, name, descriptor) as
      PropertyDescriptor | undefined;
    Object.defineProperty(prototype, name, decorated ?? descriptor);
  }
  return WebClientController;
}

const ANSWERS_IN_ENVELOPE_DECORATOR: MethodDecorator = (_target, _key, descriptor) => {
  Reflect.defineMetadata(ANSWERS_IN_ENVELOPE, true, descriptor.value as object);
  return descriptor;
};
