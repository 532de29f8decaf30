import { Param, type PipeTransform } from '@nestjs/common';
import type { IdKind } from './id-codec';
import { decodeId } from './public-id';

/** An id of `kind` in the path, parsed to its number; one that does not decode names nothing: 404. */
export class PublicIdPipe implements PipeTransform<string, number> {
  constructor(private readonly kind: IdKind) {}

  transform(value: string): number {
    return decodeId(value, this.kind);
  }
}

/** The path parameter `name`, an id of `kind`, as its number. */
export function IdParam(name: string, kind: IdKind): ParameterDecorator {
  return Param(name, new PublicIdPipe(kind));
}
