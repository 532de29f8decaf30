import type { ResourceKind } from './id-kinds';
import type { ResourceSet } from './attack-world';
import type { Outcome, OutcomeKind } from './outcome';

/** A parameter or field that carries ids. */
export interface IdSlot {
  name: string;
  /** Undefined when no fixture id maps to it: the access test fails naming the route. */
  kind: ResourceKind | undefined;
  list: boolean;
  /** The resource the route acts on (a REST path parameter, a message's first field), not a reference. */
  target: boolean;
}

export interface AttackRoute {
  /** `REST POST /api/v1/projects/{id}/tasks`, `gRPC TaskService/CreateTask`. */
  name: string;
  isPublic: boolean;
  /** Documented as for the owner only (OpenAPI summary, proto comment). */
  ownerOnly: boolean;
  /** Changes nothing (a REST GET, a gRPC Get or List): its calls may share one set of resources. */
  readOnly: boolean;
  idSlots: IdSlot[];
  /** Fields that carry a token (`refreshToken`, `access_token`). */
  tokenFields: string[];
}

/** Who calls: the raw authorization value, or nobody. */
export interface Credential {
  authorization?: string;
}

/** The routes with the ones that change nothing first, so that they can share resources. */
export function readsFirst<Route extends AttackRoute>(routes: Route[]): Route[] {
  return [
    ...routes.filter((route) => route.readOnly),
    ...routes.filter((route) => !route.readOnly),
  ];
}

export const bearer = (token: string): Credential => ({ authorization: `Bearer ${token}` });

/** A request as plausible as the route's description allows, with these ids and fields. */
export interface Plan {
  resources: ResourceSet;
  /** Ids put in place of the fixture's, by slot name. */
  ids?: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** One malformed input of a route. */
export interface Attack {
  label: string;
  /** The input can never be valid: answering `ok` is a failure too. */
  mustReject?: boolean;
  /** The only acceptable kind (UNAUTHENTICATED for a garbage token). */
  expect?: OutcomeKind;
  /** An answer slower than this is a stall. */
  withinMs?: number;
  /**
   * Varies a value the handler reads (a field, a query parameter), not the framing: behind
   * the token check, so sent to public routes only when nobody is logged in.
   */
  content?: boolean;
  /** Replaces the caller's authorization; `null` sends none. */
  authorization?: string | null;
}

/**
 * How one kind of route is reached and how it reports errors. The suite's tests are written
 * against this interface only: a new transport (say the original web client's envelope) is
 * one new class.
 */
export interface RouteAdapter<Route extends AttackRoute = AttackRoute, A extends Attack = Attack> {
  readonly label: string;
  /** Every route of this kind, enumerated from the running app. */
  routes(): Promise<Route[]>;
  call(route: Route, plan: Plan, credential: Credential): Promise<Outcome>;
  /** Malformed inputs for the route, around a plausible request built from `plan`. */
  attacks(route: Route, plan: Plan): A[];
  send(route: Route, attack: A, credential: Credential): Promise<Outcome>;
  close(): void;
}
