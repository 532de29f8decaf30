import assert from 'node:assert/strict';
import type { TestApp } from './app';
import { grpcClient } from './grpc-client';
import { call } from './http';
import type { PageBody } from './projects';

export interface NotificationBody {
  id: string;
  kind: string;
  content: string;
  actor: { id: string; name: string; avatar: string | null } | null;
  projectId: string | null;
  taskId: string | null;
  organizationId: string | null;
  invitationId: string | null;
  /** For kind system: the announcement as it is now. */
  announcement: { id: string; title: string; content: string } | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

/** A page of the member's notifications over REST (`query` as a query string); 200 or the test fails. */
export async function notificationsOf(
  app: TestApp,
  token: string,
  query = '',
): Promise<PageBody<NotificationBody>> {
  const response = await call<PageBody<NotificationBody>>(
    app,
    'GET',
    `/api/v1/me/notifications${query ? `?${query}` : ''}`,
    { token },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** The member's unread count over REST. */
export async function unreadCount(app: TestApp, token: string): Promise<number> {
  const response = await call<{ unread: number }>(
    app,
    'GET',
    '/api/v1/me/notifications/unread-count',
    { token },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.unread;
}

/** A client of msproject.notification.v1.NotificationService on the app's gRPC port. */
export function notificationGrpcClient(app: TestApp) {
  return grpcClient(
    app.grpcAddress,
    'notification/v1/notification.proto',
    'msproject.notification.v1.NotificationService',
  );
}
