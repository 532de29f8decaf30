import { NacosTestServer, type NacosTestServerOptions } from './nacos-server';

/**
 * The config server the config-center suite talks to: the project's Nacos-protocol test
 * server, or a real Nacos when NACOS_TEST_ADDR (host:port) is set. Publishing goes over the
 * wire in both cases, so the suite exercises the same protocol.
 */
export interface NacosFixture {
  serverAddr: string;
  /** Present only with the test server: faults, restarts and request logs. */
  testServer?: NacosTestServer;
  credentials?: { username: string; password: string };
  publish(dataId: string, group: string, content: string, tenant: string): Promise<void>;
  remove(dataId: string, group: string, tenant: string): Promise<void>;
  close(): Promise<void>;
}

async function send(
  baseUrl: string,
  method: 'POST' | 'DELETE',
  params: Record<string, string>,
): Promise<void> {
  const body = new URLSearchParams(params).toString();
  const url = `${baseUrl}/v1/cs/configs${method === 'DELETE' ? `?${body}` : ''}`;
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: method === 'POST' ? body : undefined,
  });
  const text = await response.text();
  if (response.status !== 200 || text.trim() !== 'true') {
    throw new Error(`config server answered ${response.status} to ${method}`);
  }
}

export async function nacosFixture(options: NacosTestServerOptions = {}): Promise<NacosFixture> {
  const external = process.env.NACOS_TEST_ADDR;
  let testServer: NacosTestServer | undefined;
  let serverAddr: string;
  if (external) {
    serverAddr = external;
  } else {
    testServer = new NacosTestServer(options);
    await testServer.start();
    serverAddr = testServer.serverAddr;
  }
  const baseUrl = `http://${serverAddr}/nacos`;
  const auth = external
    ? process.env.NACOS_TEST_USERNAME
      ? {
          username: process.env.NACOS_TEST_USERNAME,
          password: process.env.NACOS_TEST_PASSWORD ?? '',
        }
      : undefined
    : options.auth;
  const credentials = auth ? { username: auth.username, password: auth.password } : undefined;
  return {
    serverAddr,
    testServer,
    credentials,
    publish: (dataId, group, content, tenant) =>
      send(baseUrl, 'POST', { dataId, group, content, tenant, type: 'yaml', ...credentials }),
    remove: (dataId, group, tenant) =>
      send(baseUrl, 'DELETE', { dataId, group, tenant, ...credentials }),
    close: async () => {
      await testServer?.stop();
    },
  };
}
