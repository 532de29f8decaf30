import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessCatalogue1796551031502 implements MigrationInterface {
  name = 'AccessCatalogue1796551031502';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `menu` (`id` int NOT NULL, `parentId` int NOT NULL DEFAULT '0', `title` varchar(100) NOT NULL, `icon` varchar(100) NOT NULL DEFAULT '', `url` varchar(400) NOT NULL DEFAULT '', `filePath` varchar(200) NOT NULL DEFAULT '', `params` varchar(500) NOT NULL DEFAULT '', `node` varchar(100) NOT NULL DEFAULT '#', `sort` int NOT NULL DEFAULT '0', `status` smallint NOT NULL DEFAULT '1', `isInner` tinyint NOT NULL DEFAULT 0, `values` varchar(255) NOT NULL DEFAULT '', `showSlider` tinyint NOT NULL DEFAULT 1, PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `permission_node` (`id` int NOT NULL, `node` varchar(100) NOT NULL, `title` varchar(50) NOT NULL, `parent` varchar(100) NULL, `isMenu` tinyint NOT NULL DEFAULT 0, `isAuth` tinyint NOT NULL DEFAULT 1, `isLogin` tinyint NOT NULL DEFAULT 1, `sort` int NOT NULL DEFAULT '0', UNIQUE INDEX `IDX_032e43911f27d718a9e348c19c` (`node`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    // The permission-node catalogue: the original's ms_project_node rows that govern operations
    // of this product (ids kept; see the README for those left out).
    await queryRunner.query(
      'INSERT INTO `permission_node` (`id`, `node`, `title`, `parent`, `isMenu`, `isAuth`, `isLogin`, `sort`) VALUES ' +
        "(360, 'project', '项目管理模块', NULL, 0, 1, 1, 360)," +
        "(361, 'project/index/info', '详情', 'project/index', 0, 0, 1, 361)," +
        "(362, 'project/index', '基础版块', 'project', 0, 1, 1, 362)," +
        "(363, 'project/index/index', '框架布局', 'project/index', 0, 0, 1, 363)," +
        "(365, 'project/index/editpersonal', '修改个人资料', 'project/index', 0, 0, 1, 365)," +
        "(370, 'project/account', '账号管理', 'project', 0, 1, 1, 370)," +
        "(371, 'project/account/index', '账号列表', 'project/account', 0, 0, 1, 371)," +
        "(372, 'project/organization/index', '组织列表', 'project/organization', 0, 0, 1, 372)," +
        "(374, 'project/organization/read', '组织信息', 'project/organization', 0, 0, 1, 374)," +
        "(375, 'project/organization/edit', '编辑组织', 'project/organization', 0, 1, 1, 375)," +
        "(377, 'project/organization', '组织管理', 'project', 0, 1, 1, 377)," +
        "(388, 'project/auth/index', '权限列表', 'project/auth', 0, 0, 1, 388)," +
        "(389, 'project/auth/add', '添加权限角色', 'project/auth', 0, 1, 1, 389)," +
        "(390, 'project/auth/edit', '编辑权限', 'project/auth', 0, 1, 1, 390)," +
        "(393, 'project/auth/del', '删除权限', 'project/auth', 0, 1, 1, 393)," +
        "(394, 'project/auth', '访问授权', 'project', 0, 1, 1, 394)," +
        "(395, 'project/auth/apply', '应用权限', 'project/auth', 0, 1, 1, 395)," +
        "(396, 'project/notify/index', '通知列表', 'project/notify', 0, 0, 1, 396)," +
        "(402, 'project/notify', '通知管理', 'project', 0, 1, 1, 402)," +
        "(434, 'project/account/auth', '授权管理', 'project/account', 0, 1, 1, 434)," +
        "(435, 'project/account/add', '添加账号', 'project/account', 0, 1, 1, 435)," +
        "(436, 'project/account/edit', '编辑账号', 'project/account', 0, 1, 1, 436)," +
        "(437, 'project/account/del', '删除账号', 'project/account', 0, 1, 1, 437)," +
        "(438, 'project/account/forbid', '禁用账号', 'project/account', 0, 1, 1, 438)," +
        "(439, 'project/account/resume', '启用账号', 'project/account', 0, 1, 1, 439)," +
        "(500, 'project/auth/setdefault', '设置默认权限', 'project/auth', 0, 1, 1, 500)," +
        "(501, 'project/department', '部门管理', 'project', 0, 1, 1, 501)," +
        "(502, 'project/department/index', '部门列表', 'project/department', 0, 0, 1, 502)," +
        "(503, 'project/department/read', '部门信息', 'project/department', 0, 0, 1, 503)," +
        "(504, 'project/department/save', '创建部门', 'project/department', 0, 1, 1, 504)," +
        "(505, 'project/department/edit', '编辑部门', 'project/department', 0, 1, 1, 505)," +
        "(506, 'project/department/delete', '删除部门', 'project/department', 0, 1, 1, 506)," +
        "(507, 'project/department_member', '部门成员管理', 'project', 0, 1, 1, 507)," +
        "(508, 'project/department_member/index', '部门成员列表', 'project/department_member', 0, 0, 1, 508)," +
        "(510, 'project/department_member/invitemember', '添加部门成员', 'project/department_member', 0, 1, 1, 510)," +
        "(511, 'project/department_member/removemember', '移除部门成员', 'project/department_member', 0, 1, 1, 511)," +
        "(515, 'project/menu', '菜单管理', 'project', 0, 1, 1, 515)," +
        "(516, 'project/menu/menu', '菜单列表', 'project/menu', 0, 0, 0, 516)," +
        "(522, 'project/node', '节点管理', 'project', 0, 1, 1, 522)," +
        "(523, 'project/node/index', '节点列表', 'project/node', 0, 1, 1, 523)," +
        "(524, 'project/node/alllist', '全部节点列表', 'project/node', 0, 1, 1, 524)," +
        "(527, 'project/project', '项目管理', 'project', 0, 1, 1, 527)," +
        "(528, 'project/project/index', '项目列表', 'project/project', 0, 0, 1, 528)," +
        "(529, 'project/project/selflist', '个人项目列表', 'project/project', 0, 0, 1, 529)," +
        "(530, 'project/project/save', '创建项目', 'project/project', 0, 1, 1, 530)," +
        "(531, 'project/project/read', '项目信息', 'project/project', 0, 0, 1, 531)," +
        "(532, 'project/project/edit', '编辑项目', 'project/project', 0, 1, 1, 532)," +
        "(534, 'project/project/recycle', '项目放入回收站', 'project/project', 0, 1, 1, 534)," +
        "(535, 'project/project/recovery', '恢复项目', 'project/project', 0, 1, 1, 535)," +
        "(536, 'project/project/archive', '归档项目', 'project/project', 0, 1, 1, 536)," +
        "(537, 'project/project/recoveryarchive', '取消归档项目', 'project/project', 0, 1, 1, 537)," +
        "(539, 'project/project_collect', '项目收藏管理', 'project', 0, 0, 1, 539)," +
        "(540, 'project/project_collect/collect', '收藏项目', 'project/project_collect', 0, 1, 1, 540)," +
        "(541, 'project/project_member', '项目成员管理', 'project', 0, 1, 1, 541)," +
        "(542, 'project/project_member/index', '项目成员列表', 'project/project_member', 0, 0, 1, 542)," +
        "(544, 'project/project_member/invitemember', '邀请项目成员', 'project/project_member', 0, 1, 1, 544)," +
        "(545, 'project/project_template', '项目模板管理', 'project', 0, 1, 1, 545)," +
        "(546, 'project/project_template/index', '项目模板列表', 'project/project_template', 0, 0, 1, 546)," +
        "(551, 'project/task/index', '任务列表', 'project/task', 0, 0, 1, 551)," +
        "(552, 'project/task/selflist', '个人任务列表', 'project/task', 0, 0, 1, 552)," +
        "(553, 'project/task/read', '任务信息', 'project/task', 0, 0, 1, 553)," +
        "(554, 'project/task/save', '创建任务', 'project/task', 0, 1, 1, 554)," +
        "(555, 'project/task/taskdone', '更改任务状态', 'project/task', 0, 0, 1, 555)," +
        "(556, 'project/task/assigntask', '指派任务执行者', 'project/task', 0, 1, 1, 556)," +
        "(557, 'project/task/sort', '任务排序', 'project/task', 0, 1, 1, 557)," +
        "(558, 'project/task/createcomment', '发表任务评论', 'project/task', 0, 1, 1, 558)," +
        "(559, 'project/task/edit', '编辑任务', 'project/task', 0, 1, 1, 559)," +
        "(565, 'project/task', '任务管理', 'project', 0, 1, 1, 565)," +
        "(569, 'project/task_member/index', '任务成员列表', 'project/task_member', 0, 0, 1, 569)," +
        "(571, 'project/task_member/invitemember', '添加任务成员', 'project/task_member', 0, 1, 1, 571)," +
        "(573, 'project/task_member', '任务成员管理', 'project', 0, 1, 1, 573)," +
        "(574, 'project/task_stages', '任务分组管理', 'project', 0, 1, 1, 574)," +
        "(575, 'project/task_stages/index', '任务分组列表', 'project/task_stages', 0, 0, 1, 575)," +
        "(576, 'project/task_stages/tasks', '任务分组任务列表', 'project/task_stages', 0, 0, 1, 576)," +
        "(577, 'project/task_stages/sort', '任务分组排序', 'project/task_stages', 0, 1, 1, 577)," +
        "(578, 'project/task_stages/save', '添加任务分组', 'project/task_stages', 0, 1, 1, 578)," +
        "(579, 'project/task_stages/edit', '编辑任务分组', 'project/task_stages', 0, 1, 1, 579)," +
        "(580, 'project/task_stages/delete', '删除任务分组', 'project/task_stages', 0, 1, 1, 580)," +
        "(581, 'project/task_stages_template/index', '任务分组模板列表', 'project/task_stages_template', 0, 0, 1, 581)," +
        "(585, 'project/task_stages_template', '任务分组模板管理', 'project', 0, 1, 1, 585)," +
        "(587, 'project/project_member/removemember', '移除项目成员', 'project/project_member', 0, 1, 1, 587)," +
        "(598, 'project/project/getlogbyselfproject', '项目概况', 'project/project', 0, 1, 1, 598)," +
        "(601, 'project/task/tasklog', '任务动态', 'project/task', 0, 1, 1, 601)," +
        "(606, 'project/account/read', '账号信息', 'project/account', 0, 1, 1, 606)",
    );
    // The original's 35 menu rows, ids kept; the menu and node pages (144, 145) show the
    // read-only menu and catalogue here, so they name the nodes of those reads.
    await queryRunner.query(
      'INSERT INTO `menu` (`id`, `parentId`, `title`, `icon`, `url`, `filePath`, `params`, `node`, `sort`, `status`, `isInner`, `values`, `showSlider`) VALUES ' +
        "(120, 0, '工作台', 'appstore-o', 'home', 'home', ':org', '#', 0, 1, 0, '', 0)," +
        "(121, 0, '项目管理', 'project', '#', '#', '', '#', 0, 1, 0, '', 1)," +
        "(122, 121, '项目列表', 'branches', '#', '#', '', '#', 0, 1, 0, '', 1)," +
        "(124, 0, '系统设置', 'setting', '#', '#', '', '#', 100, 1, 0, '', 1)," +
        "(125, 124, '成员管理', 'unlock', '#', '#', '', '#', 10, 1, 0, '', 1)," +
        "(126, 125, '账号列表', '', 'system/account', 'system/account', '', 'project/account/index', 10, 1, 0, '', 1)," +
        "(127, 122, '我的组织', '', 'organization', 'organization', '', 'project/organization/index', 30, 1, 0, '', 1)," +
        "(130, 125, '访问授权', '', 'system/account/auth', 'system/account/auth', '', 'project/auth/index', 20, 1, 0, '', 1)," +
        "(131, 125, '授权页面', '', 'system/account/apply', 'system/account/apply', ':id', 'project/auth/apply', 30, 1, 1, '', 1)," +
        "(138, 121, '消息提醒', 'info-circle-o', '#', '#', '', '#', 30, 1, 0, '', 1)," +
        "(139, 138, '站内消息', '', 'notify/notice', 'notify/notice', '', 'project/notify/index', 0, 1, 0, '', 1)," +
        "(140, 138, '系统公告', '', 'notify/system', 'notify/system', '', 'project/notify/index', 10, 1, 0, '', 1)," +
        "(143, 124, '系统管理', 'appstore', '#', '#', '', '#', 0, 1, 0, '', 1)," +
        "(144, 143, '菜单路由', '', 'system/config/menu', 'system/config/menu', '', 'project/menu/menu', 0, 1, 0, '', 1)," +
        "(145, 143, '访问节点', '', 'system/config/node', 'system/config/node', '', 'project/node/index', 0, 1, 0, '', 1)," +
        "(148, 124, '个人管理', 'user', '#', '#', '', '#', 0, 1, 0, '', 1)," +
        "(149, 148, '个人设置', '', 'account/setting/base', 'account/setting/base', '', 'project/index/editpersonal', 0, 1, 0, '', 1)," +
        "(150, 148, '安全设置', '', 'account/setting/security', 'account/setting/security', '', 'project/index/editpersonal', 0, 1, 1, '', 1)," +
        "(151, 122, '我的项目', '', 'project/list', 'project/list', ':type', 'project/project/index', 0, 1, 0, 'my', 1)," +
        "(152, 122, '回收站', '', 'project/recycle', 'project/recycle', '', 'project/project/index', 20, 1, 0, '', 1)," +
        "(153, 121, '项目空间', 'heat-map', 'project/space/task', 'project/space/task', ':code', '#', 20, 1, 1, '', 1)," +
        "(154, 153, '任务详情', '', 'project/space/task/:code/detail', 'project/space/taskdetail', ':code', 'project/task/read', 0, 1, 1, '', 0)," +
        "(155, 122, '我的收藏', '', 'project/list', 'project/list', ':type', 'project/project/index', 10, 1, 0, 'collect', 1)," +
        "(156, 121, '基础设置', 'experiment', '#', '#', '', '#', 0, 1, 0, '', 1)," +
        "(157, 156, '项目模板', '', 'project/template', 'project/template', '', 'project/project_template/index', 0, 1, 0, '', 1)," +
        "(158, 156, '项目列表模板', '', 'project/template/taskStages', 'project/template/taskStages', ':code', 'project/task_stages_template/index', 0, 1, 1, '', 0)," +
        "(159, 122, '已归档项目', '', 'project/archive', 'project/archive', '', 'project/project/index', 10, 1, 0, '', 1)," +
        "(160, 0, '团队成员', 'team', '#', '#', '', '#', 0, 1, 1, '', 0)," +
        "(161, 153, '项目概况', '', 'project/space/overview', 'project/space/overview', ':code', 'project/index/info', 20, 1, 1, '', 0)," +
        "(162, 153, '项目文件', '', 'project/space/files', 'project/space/files', ':code', 'project/index/info', 10, 1, 1, '', 0)," +
        "(163, 122, '项目分析', '', 'project/analysis', 'project/analysis', '', 'project/index/info', 5, 1, 0, '', 1)," +
        "(164, 160, '团队成员', '', '#', '#', '', '#', 0, 1, 1, '', 0)," +
        "(166, 164, '团队成员', '', 'members', 'members', '', 'project/department/index', 0, 1, 1, '', 0)," +
        "(167, 164, '成员信息', '', 'members/profile', 'members/profile', ':code', 'project/department/read', 0, 1, 1, '', 0)," +
        "(168, 153, '版本管理', '', 'project/space/features', 'project/space/features', ':code', 'project/index/info', 20, 1, 1, '', 0)",
    );
    // The original's grants: admin roles hold every node, member roles the original member's.
    await queryRunner.query(
      "INSERT INTO `org_role_node` (`roleId`, `node`) SELECT r.`id`, n.`node` FROM `org_role` r JOIN `permission_node` n WHERE r.`kind` = 'admin'",
    );
    await queryRunner.query(
      "INSERT INTO `org_role_node` (`roleId`, `node`) SELECT r.`id`, n.`node` FROM `org_role` r JOIN `permission_node` n WHERE r.`kind` = 'member' AND n.`node` IN (" +
        "'project/account/index', " +
        "'project/auth/index', " +
        "'project/index/index', " +
        "'project/index', " +
        "'project/index/info', " +
        "'project/index/editpersonal', " +
        "'project/menu/menu', " +
        "'project/node/index', " +
        "'project/node/alllist', " +
        "'project/notify/index', " +
        "'project/notify', " +
        "'project/organization/index', " +
        "'project/organization', " +
        "'project/organization/read', " +
        "'project/organization/edit', " +
        "'project/project/index', " +
        "'project/project/read', " +
        "'project/project_collect/collect', " +
        "'project/project_collect', " +
        "'project/project_member/index', " +
        "'project/project_template/index', " +
        "'project/task/index', " +
        "'project/task/read', " +
        "'project/task/save', " +
        "'project/task/taskdone', " +
        "'project/task/assigntask', " +
        "'project/task/sort', " +
        "'project/task/createcomment', " +
        "'project/task_member/index', " +
        "'project/task_stages/index', " +
        "'project/task_stages/tasks', " +
        "'project/task_stages/sort', " +
        "'project/task_stages_template/index', " +
        "'project/department/index', " +
        "'project/department/read', " +
        "'project/department_member/index', " +
        "'project/project/selflist', " +
        "'project/project/save', " +
        "'project/task/selflist'" +
        ')',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Before the catalogue no role held a node.
    await queryRunner.query('DELETE FROM `org_role_node`');
    await queryRunner.query('DROP INDEX `IDX_032e43911f27d718a9e348c19c` ON `permission_node`');
    await queryRunner.query('DROP TABLE `permission_node`');
    await queryRunner.query('DROP TABLE `menu`');
  }
}
