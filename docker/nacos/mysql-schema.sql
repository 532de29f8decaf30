-- Nacos 2.4 storage schema on MySQL, so Nacos keeps its data across restarts instead of the
-- embedded Derby database (the seed's persistence fix). Runs once, at the first start of each
-- MySQL server (mounted into /docker-entrypoint-initdb.d); Nacos connects as the `nacos` account
-- created by docker/mysql/01-accounts.sh. utf8mb4 with binary collation: data ids and groups are
-- case-sensitive keys.

CREATE DATABASE IF NOT EXISTS `nacos` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE `nacos`;

-- Published configurations, one row per (data id, group, namespace).
CREATE TABLE IF NOT EXISTS `config_info` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `data_id` VARCHAR(255) NOT NULL,
  `group_id` VARCHAR(128) DEFAULT NULL,
  `content` LONGTEXT NOT NULL,
  `md5` VARCHAR(32) DEFAULT NULL,
  `gmt_create` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `gmt_modified` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `src_user` TEXT,
  `src_ip` VARCHAR(50) DEFAULT NULL,
  `app_name` VARCHAR(128) DEFAULT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  `c_desc` VARCHAR(256) DEFAULT NULL,
  `c_use` VARCHAR(64) DEFAULT NULL,
  `effect` VARCHAR(64) DEFAULT NULL,
  `type` VARCHAR(64) DEFAULT NULL,
  `c_schema` TEXT,
  `encrypted_data_key` VARCHAR(1024) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_configinfo_datagrouptenant` (`data_id`, `group_id`, `tenant_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Aggregated (datum) configurations.
CREATE TABLE IF NOT EXISTS `config_info_aggr` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `data_id` VARCHAR(255) NOT NULL,
  `group_id` VARCHAR(128) NOT NULL,
  `datum_id` VARCHAR(255) NOT NULL,
  `content` LONGTEXT NOT NULL,
  `gmt_modified` DATETIME NOT NULL,
  `app_name` VARCHAR(128) DEFAULT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_configinfoaggr_datagrouptenantdatum` (`data_id`, `group_id`, `tenant_id`, `datum_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Beta (gray) releases to a list of client IPs.
CREATE TABLE IF NOT EXISTS `config_info_beta` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `data_id` VARCHAR(255) NOT NULL,
  `group_id` VARCHAR(128) NOT NULL,
  `app_name` VARCHAR(128) DEFAULT NULL,
  `content` LONGTEXT NOT NULL,
  `beta_ips` VARCHAR(1024) DEFAULT NULL,
  `md5` VARCHAR(32) DEFAULT NULL,
  `gmt_create` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `gmt_modified` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `src_user` TEXT,
  `src_ip` VARCHAR(50) DEFAULT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  `encrypted_data_key` VARCHAR(1024) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_configinfobeta_datagrouptenant` (`data_id`, `group_id`, `tenant_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Tagged variants of a configuration.
CREATE TABLE IF NOT EXISTS `config_info_tag` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `data_id` VARCHAR(255) NOT NULL,
  `group_id` VARCHAR(128) NOT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  `tag_id` VARCHAR(128) NOT NULL,
  `app_name` VARCHAR(128) DEFAULT NULL,
  `content` LONGTEXT NOT NULL,
  `md5` VARCHAR(32) DEFAULT NULL,
  `gmt_create` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `gmt_modified` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `src_user` TEXT,
  `src_ip` VARCHAR(50) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_configinfotag_datagrouptenanttag` (`data_id`, `group_id`, `tenant_id`, `tag_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Tags attached to configurations (id = config_info.id).
CREATE TABLE IF NOT EXISTS `config_tags_relation` (
  `id` BIGINT NOT NULL,
  `tag_name` VARCHAR(128) NOT NULL,
  `tag_type` VARCHAR(64) DEFAULT NULL,
  `data_id` VARCHAR(255) NOT NULL,
  `group_id` VARCHAR(128) NOT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  `nid` BIGINT NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (`nid`),
  UNIQUE KEY `uk_configtagrelation_configidtag` (`id`, `tag_name`, `tag_type`),
  KEY `idx_tenant_id` (`tenant_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Capacity quotas per group ('' = the whole cluster); 0 means "use the server default".
CREATE TABLE IF NOT EXISTS `group_capacity` (
  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `group_id` VARCHAR(128) NOT NULL DEFAULT '',
  `quota` INT UNSIGNED NOT NULL DEFAULT 0,
  `usage` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_size` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_aggr_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_aggr_size` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_history_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `gmt_create` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `gmt_modified` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_group_id` (`group_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Change history of every configuration (id = config_info.id, nid = history row).
CREATE TABLE IF NOT EXISTS `his_config_info` (
  `id` BIGINT UNSIGNED NOT NULL,
  `nid` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `data_id` VARCHAR(255) NOT NULL,
  `group_id` VARCHAR(128) NOT NULL,
  `app_name` VARCHAR(128) DEFAULT NULL,
  `content` LONGTEXT NOT NULL,
  `md5` VARCHAR(32) DEFAULT NULL,
  `gmt_create` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `gmt_modified` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `src_user` TEXT,
  `src_ip` VARCHAR(50) DEFAULT NULL,
  `op_type` CHAR(10) DEFAULT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  `encrypted_data_key` VARCHAR(1024) NOT NULL DEFAULT '',
  PRIMARY KEY (`nid`),
  KEY `idx_gmt_create` (`gmt_create`),
  KEY `idx_gmt_modified` (`gmt_modified`),
  KEY `idx_did` (`data_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Capacity quotas per namespace.
CREATE TABLE IF NOT EXISTS `tenant_capacity` (
  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `tenant_id` VARCHAR(128) NOT NULL DEFAULT '',
  `quota` INT UNSIGNED NOT NULL DEFAULT 0,
  `usage` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_size` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_aggr_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_aggr_size` INT UNSIGNED NOT NULL DEFAULT 0,
  `max_history_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `gmt_create` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `gmt_modified` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_tenant_id` (`tenant_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Namespaces (tenant_id is the namespace id the clients send); times in epoch milliseconds.
CREATE TABLE IF NOT EXISTS `tenant_info` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `kp` VARCHAR(128) NOT NULL,
  `tenant_id` VARCHAR(128) DEFAULT '',
  `tenant_name` VARCHAR(128) DEFAULT '',
  `tenant_desc` VARCHAR(256) DEFAULT NULL,
  `create_source` VARCHAR(32) DEFAULT NULL,
  `gmt_create` BIGINT NOT NULL,
  `gmt_modified` BIGINT NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_tenant_info_kptenantid` (`kp`, `tenant_id`),
  KEY `idx_tenant_id` (`tenant_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Console / API accounts of the built-in auth plugin (BCrypt password hashes).
CREATE TABLE IF NOT EXISTS `users` (
  `username` VARCHAR(50) NOT NULL,
  `password` VARCHAR(500) NOT NULL,
  `enabled` BOOLEAN NOT NULL,
  PRIMARY KEY (`username`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `roles` (
  `username` VARCHAR(50) NOT NULL,
  `role` VARCHAR(50) NOT NULL,
  UNIQUE KEY `idx_user_role` (`username`, `role`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `permissions` (
  `role` VARCHAR(50) NOT NULL,
  `resource` VARCHAR(128) NOT NULL,
  `action` VARCHAR(8) NOT NULL,
  UNIQUE KEY `uk_role_permission` (`role`, `resource`, `action`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- No user rows: Nacos 2.4 starts without any account, and the compose `config` service creates
-- the admin `nacos` through Nacos's first-admin API with NACOS_PASSWORD (publish-config.sh).
