import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CLIENT_ROUTES, NOT_YET_SERVED } from '@/modules/web-client/client-routes';
import { README_PATH, readmeWithRouteTable } from '../../scripts/docs-web-client';

describe("the README's table of the web client's routes", () => {
  it('is the one the route declarations give (npm run docs:web-client rewrites it)', async () => {
    assert.equal(
      await readmeWithRouteTable(),
      readFileSync(README_PATH, 'utf8'),
      'stale: run npm run docs:web-client',
    );
  });

  it('lists each path once, served or not', () => {
    const paths = [
      ...CLIENT_ROUTES.map((route) => route.path),
      ...NOT_YET_SERVED.map((entry) => entry.path),
    ];
    assert.deepEqual(
      paths.filter((path, index) => paths.indexOf(path) !== index),
      [],
    );
  });
});
