import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIdName, isListOfIds, kindOfId } from '../support/attack/id-kinds';
import { varint } from '../support/attack/wire';

describe('attack suite: which fixture id a parameter or field takes', () => {
  it('recognises id names in either case style and nothing that merely ends in "id"', () => {
    for (const name of [
      'id',
      'ids',
      'projectId',
      'stageIds',
      'to_stage_id',
      'member_ids',
      'mentions',
      'projectCode',
      'stage_code',
      'assign_to',
      'pcode',
    ]) {
      assert.equal(isIdName(name), true, name);
    }
    for (const name of ['paid', 'valid', 'identity', 'name', 'Ids', 'code', 'captcha']) {
      assert.equal(isIdName(name), false, name);
    }
  });

  it('reads the kind from the name, its last known word first', () => {
    assert.equal(kindOfId('toStageId', []), 'stage');
    assert.equal(kindOfId('before_task_id', []), 'task');
    assert.equal(kindOfId('assigneeId', []), 'member');
    assert.equal(kindOfId('stageIds', []), 'stage');
    assert.equal(kindOfId('notification_id', []), 'notification');
    assert.equal(kindOfId('preTaskCode', []), 'task');
    assert.equal(kindOfId('stage_code', []), 'stage');
    assert.equal(kindOfId('assign_to', []), 'member');
  });

  it("reads the web client's parent code (pcode) from its route: a task or a department", () => {
    assert.equal(kindOfId('pcode', ['save', 'task', 'project']), 'task');
    assert.equal(kindOfId('pcode', ['task', 'project']), 'task');
    assert.equal(kindOfId('pcode', ['department', 'project']), 'department');
  });

  it('knows the id lists whose name does not say so', () => {
    assert.equal(kindOfId('mentions', []), 'member');
    assert.equal(isListOfIds('mentions'), true);
  });

  it('reads a bare id from its context: the path segment, the message, the RPC, the service', () => {
    assert.equal(kindOfId('id', ['projects']), 'project');
    assert.equal(kindOfId('id', ['activities']), 'activity');
    assert.equal(kindOfId('id', ['UpdateTaskRequest', 'UpdateTask', 'TaskService']), 'task');
    assert.equal(
      kindOfId('id', ['SetCollectedRequest', 'SetCollected', 'ProjectService']),
      'project',
    );
    assert.equal(kindOfId('id', ['work-times']), 'workTime');
    assert.equal(kindOfId('id', ['WorkTimeId', 'DeleteWorkTime', 'TaskService']), 'workTime');
  });

  it('maps no kind to an id it does not know, so that the access test names the route', () => {
    assert.equal(kindOfId('widgetId', ['projects']), undefined);
    assert.equal(kindOfId('id', ['widgets']), undefined);
  });
});

describe('attack suite: protobuf varints by hand', () => {
  it('encodes small, multi-byte and negative (ten-byte) values', () => {
    assert.deepEqual([...varint(1)], [0x01]);
    assert.deepEqual([...varint(300)], [0xac, 0x02]);
    assert.deepEqual([...varint(-1)], [...Array<number>(9).fill(0xff), 0x01]);
  });
});
