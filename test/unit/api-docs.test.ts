import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import 'reflect-metadata';
import * as swagger from '@nestjs/swagger';
import * as ours from '@/common/api-docs';

const KEYS = [
  'swagger/apiOperation',
  'swagger/apiResponse',
  'swagger/apiProduces',
  'swagger/apiConsumes',
  'swagger/apiUseTags',
  'swagger/apiParameters',
  'swagger/apiSecurity',
  'swagger/apiExcludeController',
];

type Api = typeof ours;

/** A controller with one route, decorated by `api` the way the routes use these decorators. */
function decorated(api: Api) {
  class Controller {
    route() {}
  }
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
  const methodDecorators: MethodDecorator[] = [
    api.ApiOperation({ summary: 'A route', description: 'What it does' }),
    api.ApiConsumes('multipart/form-data'),
    api.ApiProduces('application/octet-stream'),
    api.ApiBody({ schema }),
    api.ApiBody({ required: false, schema }),
    api.ApiQuery({ name: 'page', required: false, schema: { type: 'integer' } }),
    api.ApiParam({ name: 'id', type: String, description: 'An opaque task id' }),
    api.ApiOkResponse({ description: 'Fine.' }),
    api.ApiBearerAuth(),
    api.ApiTags('method tag'),
  ];
  const descriptor = Object.getOwnPropertyDescriptor(Controller.prototype, 'route')!;
  Reflect.decorate(methodDecorators, Controller.prototype, 'route', descriptor);
  Reflect.decorate(
    [api.ApiTags('tasks', 'boards'), api.ApiBearerAuth(), api.ApiExcludeController()],
    Controller,
  );
  return Controller;
}

/** Everything the document scanner reads, with key order, undefined entries and functions. */
function recorded(controller: ReturnType<typeof decorated>): string {
  const on = (target: object) =>
    KEYS.map((key) => [key, Reflect.getMetadata(key, target) as unknown]);
  return inspect(
    {
      controller: on(controller),
      route: on(Object.getOwnPropertyDescriptor(controller.prototype, 'route')!.value as object),
    },
    { depth: null, sorted: false },
  );
}

describe('OpenAPI decorators', () => {
  it('record what @nestjs/swagger decorators of the same name record', () => {
    const expected = recorded(decorated(swagger as unknown as Api));
    assert.match(expected, /apiParameters/);
    assert.equal(recorded(decorated(ours)), expected);
  });
});
