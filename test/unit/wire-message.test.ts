import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { MethodDefinition } from '@grpc/proto-loader';
import { loadSync } from '@grpc/proto-loader';
import { protoRoot, SERVER_LOADER_OPTIONS } from '@/grpc/grpc.options';
import { wireMessage } from '@/grpc/wire-message';

/** ListProjects' response serializer, loaded as the server loads it. */
function listProjectsResponse(): (message: unknown) => Buffer {
  const definition = loadSync(join(protoRoot(), 'project/v1/project.proto'), {
    ...SERVER_LOADER_OPTIONS,
    includeDirs: [protoRoot()],
  });
  const service = definition['msproject.project.v1.ProjectService'] as Record<
    string,
    MethodDefinition<object, object>
  >;
  return service.ListProjects.responseSerialize as (message: unknown) => Buffer;
}

const owner = { id: 'o1', name: 'Owner', account: 'owner' };
const project = {
  id: 'p1',
  name: 'Board',
  taskBoardTheme: 'simple',
  openTaskPrivate: false,
  schedule: 0,
  archived: false,
  deleted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  myRole: 'owner',
  collected: true,
};

describe('wireMessage', () => {
  it('sends a view with null fields, at any depth, as the message without them', () => {
    const serialize = listProjectsResponse();
    const withNulls = {
      items: [
        {
          ...project,
          description: null,
          cover: null,
          organizationId: null,
          templateId: null,
          archivedAt: null,
          deletedAt: null,
          owner: { ...owner, avatar: null },
        },
        { ...project, id: 'p2', owner: null },
      ],
      total: 2,
      page: 1,
      pageSize: 20,
    };
    const without = {
      items: [
        { ...project, owner },
        { ...project, id: 'p2' },
      ],
      total: 2,
      page: 1,
      pageSize: 20,
    };
    const sent = serialize(wireMessage(withNulls));
    assert.deepEqual(sent, serialize(without));
    assert.equal(sent.includes('null'), false);
  });
});
