import { Param, type PipeTransform } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiParam } from './api-docs';
import type { IdKind } from './id-codec';
import { decodeId } from './public-id';

/** An id of `kind` in the path, parsed to its number; one that does not decode names nothing: 404. */
export class PublicIdPipe implements PipeTransform<string, number> {
  constructor(private readonly kind: IdKind) {}

  transform(value: string | undefined): number {
    return decodeId(value ?? '', this.kind);
  }
}

/** The path parameter `name`, an id of `kind`, as its number; documented as the string it is. */
export function IdParam(name: string, kind: IdKind): ParameterDecorator {
  return (target, method, index) => {
    Param(name, new PublicIdPipe(kind))(target, method, index);
    if (method === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, method)!;
    ApiParam({ name, type: String, description: `An opaque ${kind} id` })(
      target,
      method,
      descriptor,
    );
  };
}

/**
 * The field `name` of an RPC's message: the id of `kind` the call is about, as its number.
 * Like a REST path id, one that is missing or does not decode is NOT_FOUND.
 */
export function SubjectId(name: string, kind: IdKind): ParameterDecorator {
  return Payload(name, new PublicIdPipe(kind));
}
