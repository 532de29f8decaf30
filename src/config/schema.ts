import { z } from 'zod';

/**
 * The dynamic configuration document: one YAML file, from Nacos, the last good snapshot or
 * config/config.yaml. Every load is validated against this schema, once, as a whole.
 */

/**
 * What the schema itself declares of a key, and everything that redacts or reports "takes
 * effect at restart" derives from: `secret` values never reach logs, errors, spans or status
 * endpoints; `restartRequired` keys are bound at start (a reload reports them).
 */
interface KeyFlags {
  secret?: true;
  restartRequired?: true;
}

const secretKey = <T extends z.ZodType>(schema: T): T => schema.meta({ secret: true });
const boundAtStart = <T extends z.ZodType>(schema: T): T => schema.meta({ restartRequired: true });

const port = z.number().int().min(1).max(65535);
const nonEmpty = z.string().min(1);

const listenAddress = z.object({
  host: boundAtStart(nonEmpty.default('0.0.0.0')),
  port: boundAtStart(port),
});

const serverSection = listenAddress.extend({
  name: nonEmpty.default('msproject'),
  /**
   * After SIGTERM, how long the instance keeps serving while readiness says 503: at least the
   * load balancer's check interval times its failure threshold, plus its propagation delay.
   */
  shutdownGraceMs: z.number().int().min(0).max(600_000).default(5_000),
  /** Then, how long in-flight requests may take to finish. */
  shutdownTimeoutMs: z.number().int().min(0).max(600_000).default(10_000),
  bodyLimitBytes: boundAtStart(
    z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
  ),
  docs: boundAtStart(z.boolean().default(true)),
  /**
   * Trust X-Forwarded-* headers: a list of the proxies' addresses (the client address is then
   * the last one not in the list), or true, which takes the leftmost X-Forwarded-For entry: one
   * the client itself may write, so the per-client rate limits are only as good as that proxy.
   */
  trustProxy: boundAtStart(z.union([z.boolean(), z.array(z.string().min(1))]).default(false)),
});

const logSection = z.object({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  format: boundAtStart(z.enum(['json', 'pretty']).default('json')),
});

const mysqlEndpoint = z.object({
  name: nonEmpty.optional(),
  host: nonEmpty,
  port: port.default(3306),
  username: nonEmpty,
  password: secretKey(z.string().default('')),
  db: nonEmpty,
});

const dbSection = z
  .object({
    /** `mariadb` is MySQL's protocol with MariaDB's schema dialect (what migrations compare). */
    type: z.enum(['mysql', 'mariadb', 'sqlite']).default('mysql'),
    sqlite: z.object({ path: nonEmpty }).default({ path: '.data/msproject.sqlite' }),
    /** Create tables from the entities: tests and the embedded profile only. */
    synchronize: z.boolean().default(false),
    /** Apply pending committed migrations whenever a DataSource is opened. */
    migrationsRun: z.boolean().default(false),
    separation: z.boolean().default(false),
    master: mysqlEndpoint.optional(),
    slaves: z.array(mysqlEndpoint).default([]),
    maxOpenConns: z.number().int().min(1).max(10_000).default(200),
    maxIdleConns: z.number().int().min(0).max(10_000).default(10),
    connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    drainTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
  })
  .superRefine((db, ctx) => {
    if (db.type !== 'sqlite' && !db.master) {
      ctx.addIssue({ code: 'custom', path: ['master'], message: 'required for MySQL and MariaDB' });
    }
    if (db.maxIdleConns > db.maxOpenConns) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxIdleConns'],
        message: 'must not exceed maxOpenConns',
      });
    }
  });

const hostPort = z.object({ host: nonEmpty, port });

const messageBytes = z
  .number()
  .int()
  .min(4 * 1024)
  .max(64 * 1024 * 1024);

const grpcSection = listenAddress.extend({
  /** A larger request is refused (RESOURCE_EXHAUSTED) before it is decoded. */
  maxReceiveMessageBytes: boundAtStart(messageBytes.default(256 * 1024)),
  /**
   * Tighter limits for some services, by fully qualified name: no request of the user service
   * needs more than a few kilobytes. Each is at most maxReceiveMessageBytes in effect.
   */
  maxMessageBytesByService: boundAtStart(
    z
      .record(z.string().regex(/^[A-Za-z0-9_.]+$/), messageBytes)
      .default({ 'msproject.user.v1.UserService': 64 * 1024 }),
  ),
});

const redisSection = z
  .object({
    mode: z.enum(['memory', 'standalone', 'sentinel', 'cluster']).default('standalone'),
    host: nonEmpty.default('127.0.0.1'),
    port: port.default(6379),
    username: z.string().optional(),
    password: secretKey(z.string().default('')),
    db: z.number().int().min(0).max(255).default(0),
    keyPrefix: z.string().default(''),
    /** Shown by CLIENT LIST, so operators see whose connections these are. */
    clientName: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]*$/)
      .default('msproject'),
    sentinels: z.array(hostPort).default([]),
    sentinelName: z.string().default('mymaster'),
    nodes: z.array(hostPort).default([]),
    connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    /** A command unanswered this long fails (503) instead of holding its request. */
    commandTimeoutMs: z.number().int().min(50).max(60_000).default(500),
    /** How long a replaced client may keep serving its in-flight requests before QUIT. */
    drainTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
  })
  .superRefine((redis, ctx) => {
    if (redis.mode === 'sentinel' && redis.sentinels.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['sentinels'], message: 'required in sentinel mode' });
    }
    if (redis.mode === 'cluster' && redis.nodes.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: 'required in cluster mode' });
    }
  });

/**
 * Strength is checked for the whole document by secret-policy.ts (GENERATED_SECRET_PATHS):
 * empty is generated in the embedded setup and refused anywhere else.
 */
const secret = () => secretKey(z.string().default(''));

const jwtSection = z.object({
  accessSecret: secret(),
  refreshSecret: secret(),
  /** Lifetimes in seconds. */
  accessExp: z
    .number()
    .int()
    .min(10)
    .default(7 * 24 * 3600),
  refreshExp: z
    .number()
    .int()
    .min(10)
    .default(14 * 24 * 3600),
  /**
   * Secrets rotated away: tokens they signed still verify (never sign) until `until`. Kept in
   * the document, so that every instance, one started after the rotation too, accepts the
   * same tokens. Rotate by moving the old secret here and setting a new one.
   */
  retired: z
    .array(
      z.strictObject({
        kind: z.enum(['access', 'refresh']),
        secret: secretKey(z.string().min(1)),
        /** RFC 3339; after it, tokens this secret signed are refused. */
        until: z.iso.datetime({ offset: true }),
      }),
    )
    .max(8)
    .default([]),
});

/** Keys the public ids; read once at start, and a new one invalidates every id handed out. */
const idsSection = z.object({ secret: boundAtStart(secret()) });

const tracingSection = z.object({
  sampleRatio: z.number().min(0).max(1).default(1),
});

const captchaSection = z.object({
  ttlSeconds: z.number().int().min(10).max(86_400).default(900),
  exposeInResponse: z.boolean().default(false),
});

/**
 * Mail msproject sends (password-reset codes, links confirming a new email address). `none`
 * sends nothing (those operations answer 503; a reset code is only ever mailed, never handed back);
 * `smtp` sends through the server below; `capture` keeps them in the process's outbox instead
 * (tests, development), never in a log.
 */
const mailSection = z.object({
  transport: z.enum(['none', 'smtp', 'capture']).default('none'),
  /** The sender address. */
  from: z.string().max(200).default('msproject <no-reply@localhost>'),
  smtp: z
    .object({
      host: z.string().max(200).default(''),
      port: port.default(587),
      /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
      secure: z.boolean().default(false),
      username: z.string().max(200).default(''),
      password: secretKey(z.string().default('')),
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    })
    .prefault({}),
  /** How long a password-reset code by mail can be used. */
  codeTtlSeconds: z.number().int().min(60).max(86_400).default(900),
  /** How long a link confirming a new email address can be followed. */
  linkTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
  /**
   * Where the web client is served, for the links in mails (`https://pm.example.com`): its
   * confirmation page is `<clientUrl>/#/reset/email?token=…`.
   */
  clientUrl: z
    .string()
    .max(500)
    .regex(/^(|https?:\/\/[^\s?#]+)$/, 'must be empty or an http(s) URL')
    .default(''),
});

const rateLimitSection = z.object({
  /** Captcha requests per client address per minute (one per mobile per minute regardless). */
  captchaPerIpPerMinute: z.number().int().min(1).default(10),
  /** Registration attempts, successful or not, per client address and per mobile. */
  registerPerIpPerHour: z.number().int().min(1).default(20),
  registerPerMobilePerHour: z.number().int().min(1).default(5),
  loginPerIpPerMinute: z.number().int().min(1).default(30),
  /**
   * Failed logins of one member (or of one unknown identifier) answered at once; each further
   * attempt waits a delay that starts at loginDelayBaseMs and doubles up to loginDelayMaxMs.
   * A successful login, or loginFailureMemorySeconds without a failure, forgets them.
   */
  loginFailuresBeforeDelay: z.number().int().min(1).default(5),
  loginDelayBaseMs: z.number().int().min(1).default(1_000),
  loginDelayMaxMs: z.number().int().min(1).default(300_000),
  loginFailureMemorySeconds: z.number().int().min(1).default(86_400),
});

const cacheSection = z.object({
  memberTtlSeconds: z.number().int().min(0).default(300),
});

/**
 * How many notifications a member keeps, applied whenever one is stored for them: a read one
 * goes retentionDays after it was read, and only the newest maxPerMember stay, read or not.
 */
const notificationsSection = z.object({
  retentionDays: z.number().int().min(1).max(3650).default(30),
  maxPerMember: z.number().int().min(1).max(100_000).default(500),
});

/**
 * What a member who registers after an announcement was sent still gets: the announcements
 * sent in the last newMemberWindowDays days that are not deleted (0: none).
 */
const announcementsSection = z.object({
  newMemberWindowDays: z.number().int().min(0).max(3650).default(30),
});

const organizationSection = z.object({
  invitations: z
    .object({
      /**
       * Invitations sent per inviter, and per organization, in an hour: counted for every
       * address, known or not, so that the limits tell nothing about who is registered.
       */
      perInviterPerHour: z.number().int().min(1).max(100_000).default(20),
      perOrganizationPerHour: z.number().int().min(1).max(1_000_000).default(100),
      /** How long an invitation can be accepted. */
      expiresInHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .default(7 * 24),
      /** How long an invite link (anyone logged in who opens it joins) can be used. */
      linkExpiresInHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(3 * 24),
    })
    .prefault({}),
});

const platformSection = z.object({
  /**
   * The account names (login names) of the members who administer the deployment itself: its
   * one navigation menu, the permission-node catalogue's titles and flags, the system settings
   * and system announcements. Matched as logins match account names (case and width aside); empty: nobody.
   */
  administrators: z.array(z.string().trim().min(1).max(50)).max(100).default([]),
});

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * S3-compatible object storage (AWS S3, MinIO, Alibaba OSS through its S3 API). Enabled means
 * usable: files written there stay readable as long as it stays enabled, whichever backend is
 * the default for new files.
 */
const s3Storage = z.strictObject({
  enabled: z.boolean().default(false),
  /** Empty for AWS itself; MinIO `http://minio:9000`, OSS `https://oss-<region>.aliyuncs.com`. */
  endpoint: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  region: nonEmpty.default('us-east-1'),
  bucket: z.string().default(''),
  accessKeyId: z.string().default(''),
  secretAccessKey: secretKey(z.string().default('')),
  /** Bucket in the path (MinIO, most self-hosted servers) instead of the host name. */
  forcePathStyle: z.boolean().default(false),
});

const storageSection = z
  .strictObject({
    /** Where new files go; existing ones are read from the backend they were written to. */
    default: z.enum(['local', 's3']).default('local'),
    local: z
      .strictObject({
        /** Relative to the working directory; shared (NFS) when several instances use it. */
        root: nonEmpty.default('.data/files'),
      })
      .prefault({}),
    s3: s3Storage.prefault({}),
    /** A backend's probe (write, read, delete an object) must finish within this. */
    probeTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** How long a replaced backend may finish its transfers before it is closed. */
    drainTimeoutMs: z.number().int().min(0).max(3_600_000).default(300_000),
  })
  .superRefine((storage, ctx) => {
    if (storage.default === 's3' && !storage.s3.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['s3', 'enabled'],
        message: 'must be true when default is s3',
      });
    }
    if (storage.s3.enabled && !BUCKET_NAME.test(storage.s3.bucket)) {
      ctx.addIssue({ code: 'custom', path: ['s3', 'bucket'], message: 'must be a bucket name' });
    }
  });

const MEBIBYTE = 1024 * 1024;

/** Limits of task attachments, read at each upload. */
const attachmentsSection = z.strictObject({
  /** The largest file, single or chunked. */
  maxFileBytes: z
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * MEBIBYTE)
    .default(100 * MEBIBYTE),
  /**
   * The largest chunk of a chunked upload. simple-uploader sends 5 MiB chunks and folds the
   * remainder into the last one, which may reach twice that.
   */
  maxChunkBytes: z
    .number()
    .int()
    .min(1)
    .max(1024 * MEBIBYTE)
    .default(10 * MEBIBYTE),
  maxFilesPerTask: z.number().int().min(1).max(100_000).default(100),
  /** An unfinished chunked upload is forgotten (and its chunks swept) after this long idle. */
  uploadTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  /** How long a signed download link (followed without the bearer header) stays valid. */
  downloadLinkTtlSeconds: z.number().int().min(10).max(86_400).default(300),
});
/** Members' avatar images, read at each upload and each link made. */
const avatarsSection = z.strictObject({
  /** The largest avatar image (the web client refuses 2 MB and more itself). */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(20 * MEBIBYTE)
    .default(2 * MEBIBYTE),
  /**
   * How long an avatar link handed out stays valid, at least (the links of one such period are
   * the same link, so browsers cache the image; each is valid for up to twice this).
   */
  linkTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(7 * 86_400),
});

/** Pictures members upload to an organization (covers, images in task descriptions). */
const imagesSection = z.strictObject({
  /** The largest picture (the web client refuses 2 MB and more itself). */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(20 * MEBIBYTE)
    .default(2 * MEBIBYTE),
  /**
   * How long a picture's link stays valid: a cover or a description keeps the link it was
   * given, so it is long (the link is checked again, as its maker, each time it is followed).
   */
  linkTtlSeconds: z
    .number()
    .int()
    .min(86_400)
    .max(20 * 365 * 86_400)
    .default(10 * 365 * 86_400),
});

/** Spreadsheet imports (tasks into a project, accounts into departments). */
const importsSection = z.strictObject({
  /** The largest .xlsx file accepted. */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(20 * MEBIBYTE)
    .default(2 * MEBIBYTE),
  /** The most data rows one import takes (a longer sheet is refused as a whole). */
  maxRows: z.number().int().min(1).max(5000).default(500),
});

/** A browser origin as the Origin header spells it: scheme, host and port, no path. */
const origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin such as https://pm.example.com');

/**
 * The original web client's routes (`/project/...`, `/index/index/refreshAccessToken`): whether
 * and under which prefix they are served is fixed when the routes are registered, at start.
 */
const webClientSection = z.object({
  enabled: boundAtStart(z.boolean().default(true)),
  /** '' serves them at the root, as the original gateway did; else e.g. `/legacy`. */
  prefix: boundAtStart(
    z
      .string()
      .regex(/^(\/[A-Za-z0-9_-]+)*$/, 'must be empty or like /legacy (no trailing slash)')
      .default(''),
  ),
  /** Times the client shows (`YYYY-MM-DD HH:mm:ss`) are in this IANA zone. */
  timeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC')
    .default('Asia/Shanghai'),
  /** Origins a client served from elsewhere may call from (CORS); none by default. */
  corsOrigins: z.array(origin).max(100).default([]),
  /**
   * Where browsers reach msproject's root when a proxy in front moves it (the client's
   * `VUE_APP_API_URL` when the proxy strips its prefix): put before the links the client
   * follows itself, such as file downloads. '' when msproject is at the origin's root.
   */
  linkBase: z
    .string()
    .max(500)
    .regex(
      /^(|\/[^\s?#]*[^\s?#/]|https?:\/\/[^\s/?#]+(\/[^\s?#]*[^\s?#/])?)$/,
      'must be empty, a path such as /api or a URL such as https://pm.example.com/api (no trailing slash)',
    )
    .default(''),
});

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const appConfigSchema = z.strictObject({
  server: serverSection,
  log: logSection.default({ level: 'info', format: 'json' }),
  grpc: grpcSection,
  db: dbSection,
  redis: redisSection,
  jwt: jwtSection,
  ids: idsSection.prefault({}),
  tracing: tracingSection.default({ sampleRatio: 1 }),
  captcha: captchaSection.default({ ttlSeconds: 900, exposeInResponse: false }),
  cache: cacheSection.default({ memberTtlSeconds: 300 }),
  rateLimit: rateLimitSection.prefault({}),
  notifications: notificationsSection.prefault({}),
  announcements: announcementsSection.prefault({}),
  organization: organizationSection.prefault({}),
  platform: platformSection.prefault({}),
  storage: storageSection.prefault({}),
  attachments: attachmentsSection.prefault({}),
  avatars: avatarsSection.prefault({}),
  images: imagesSection.prefault({}),
  imports: importsSection.prefault({}),
  webClient: webClientSection.prefault({}),
  mail: mailSection.prefault({}),
});

export type AppConfig = z.infer<typeof appConfigSchema>;
export type ConfigSection = keyof AppConfig;
export const CONFIG_SECTIONS = Object.keys(appConfigSchema.shape) as ConfigSection[];

export interface DeclaredKey extends KeyFlags {
  /** Dotted path; `*` stands for any list index or record key. */
  path: string;
}

/** The layers of a schema, outermost first: defaults, optionals and pipes wrap the type. */
export function layersOf(schema: z.core.$ZodType): z.core.$ZodType[] {
  const layers = [schema];
  for (;;) {
    const def = layers[layers.length - 1]._zod.def as {
      innerType?: z.core.$ZodType;
      in?: z.core.$ZodType;
    };
    const inner = def.innerType ?? def.in;
    if (!inner) return layers;
    layers.push(inner);
  }
}

/** Every key the schema flags, with its path. */
export function declaredKeys(schema: z.core.$ZodType = appConfigSchema, path = ''): DeclaredKey[] {
  const layers = layersOf(schema);
  const flags: KeyFlags = {};
  for (const layer of layers) Object.assign(flags, z.globalRegistry.get(layer) as KeyFlags);
  const own: DeclaredKey[] =
    path && (flags.secret || flags.restartRequired) ? [{ path, ...flags }] : [];
  const def = layers[layers.length - 1]._zod.def as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
    valueType?: z.core.$ZodType;
  };
  const child = (key: string) => (path ? `${path}.${key}` : key);
  const children =
    def.type === 'object'
      ? Object.entries(def.shape ?? {}).flatMap(([key, value]) => declaredKeys(value, child(key)))
      : def.element && def.type === 'array'
        ? declaredKeys(def.element, child('*'))
        : def.valueType && def.type === 'record'
          ? declaredKeys(def.valueType, child('*'))
          : [];
  return [...own, ...children];
}

const DECLARED = declaredKeys();

/** Keys bound once at start-up (listeners, log format, body limit, docs, the id key). */
export const RESTART_REQUIRED_PATHS = DECLARED.filter((key) => key.restartRequired).map(
  (key) => key.path,
);

/** Keys whose values are never shown: in logs, errors, spans or status endpoints. */
export const SECRET_PATHS = DECLARED.filter((key) => key.secret).map((key) => key.path);

/**
 * Names that look like credentials: for request headers and query parameters, which no schema
 * describes, and to check that no secret-looking config key was left unflagged.
 */
export const SECRET_KEY_PATTERN = /pass(word)?|secret|token|credential|private|api[-_]?key/i;
